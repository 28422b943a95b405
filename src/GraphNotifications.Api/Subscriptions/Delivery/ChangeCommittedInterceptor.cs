using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GraphNotifications.Api.Subscriptions.Delivery;

/// <summary>
/// Pulses <see cref="ChangeCommitted"/> after a save and after a commit: a save in an explicit transaction is
/// visible only at its commit, and a single-statement save has no transaction of its own. An early pulse costs the
/// worker one query that finds nothing.
/// </summary>
internal sealed class ChangeCommittedInterceptor(ChangeCommitted signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        signal.Pulse();
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        signal.Pulse();
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => signal.Pulse();

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        signal.Pulse();
        return Task.CompletedTask;
    }
}
