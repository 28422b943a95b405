using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GraphNotifications.Tests.Infrastructure;

/// <summary>
/// Holds writers at the store's door to stage a race: once armed for n writers, the first n calls of SaveChanges
/// (or of beginning a transaction, whichever a writer reaches first) wait until all n have read what they are about
/// to change, then write together. Later calls (a writer retrying) pass at once. Unarmed, it does nothing.
/// </summary>
public sealed class SaveGate : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly Lock _lock = new();
    private int _expected;
    private int _arrived;
    private TaskCompletionSource _open = CompletedSource();

    /// <summary>How many writers the gate has held since it was armed: all of them, once the race was staged.</summary>
    public int Held
    {
        get
        {
            lock (_lock)
            {
                return _arrived;
            }
        }
    }

    /// <summary>Arms the gate for <paramref name="writers"/> concurrent writers.</summary>
    public void Arm(int writers)
    {
        lock (_lock)
        {
            _expected = writers;
            _arrived = 0;
            _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken);
        return result;
    }

    // A writer that begins its own transaction (the store does, to append to the change log; on SQLite that takes the
    // write lock) is held before it begins, where it has read but not yet locked anything: held after, it would keep
    // the other writers from reaching the gate.
    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await PassAsync(cancellationToken);
        return result;
    }

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        Task wait;
        lock (_lock)
        {
            if (_arrived >= _expected)
            {
                return;
            }

            _arrived++;
            if (_arrived == _expected)
            {
                _open.TrySetResult();
            }

            wait = _open.Task;
        }

        // Bounded, so that a test that goes wrong fails instead of hanging.
        await wait.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }
}
