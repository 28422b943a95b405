using System.Data.Common;
using GraphNotifications.Api.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GraphNotifications.Api.Batch;

/// <summary>
/// The one database transaction of an atomicity group. Each request of the group runs in its own DI scope, as
/// any request does (so authentication and every other per-request service is its own), but before it runs, the
/// <see cref="NotificationsDbContext"/> of its scope is enlisted here: it uses the group's connection and
/// transaction, so every write of the group commits together, or none does. The storage layer needs no change for
/// it: a context that uses a transaction it did not begin saves into it (with a savepoint per SaveChanges, so a
/// write the store retries does not spoil the transaction).
/// </summary>
internal sealed class AtomicityGroupTransaction : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;
    private readonly IDbContextTransaction _transaction;
    private readonly DbConnection _connection;

    private AtomicityGroupTransaction(AsyncServiceScope scope, IDbContextTransaction transaction, DbConnection connection)
    {
        _scope = scope;
        _transaction = transaction;
        _connection = connection;
    }

    /// <summary>Whether the configured store can hold a group in one transaction (EF Core's in-memory store cannot).</summary>
    public static bool IsSupported(IServiceProvider services) =>
        services.GetRequiredService<NotificationsDbContext>().Database.IsRelational();

    public static async Task<AtomicityGroupTransaction> BeginAsync(IServiceScopeFactory scopes, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            return new AtomicityGroupTransaction(scope, transaction, db.Database.GetDbConnection());
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Makes the store of a sub-request's scope work inside the group's transaction. Disposing the result gives the
    /// context its own connection back, before its scope returns it to the context pool.
    /// </summary>
    public async Task<IAsyncDisposable> EnlistAsync(IServiceProvider requestServices, CancellationToken cancellationToken)
    {
        var db = requestServices.GetRequiredService<NotificationsDbContext>();
        string? ownConnectionString = db.Database.GetConnectionString();
        db.Database.SetDbConnection(_connection, contextOwnsConnection: false);
        await db.Database.UseTransactionAsync(_transaction.GetDbTransaction(), cancellationToken);
        return new Enlistment(db, ownConnectionString);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public Task RollbackAsync(CancellationToken cancellationToken) => _transaction.RollbackAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // Disposing a transaction that was neither committed nor rolled back rolls it back.
        await _transaction.DisposeAsync();
        await _scope.DisposeAsync();
    }

    private sealed class Enlistment(NotificationsDbContext db, string? ownConnectionString) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            db.ChangeTracker.Clear();
            await db.Database.UseTransactionAsync(null);
            db.Database.SetDbConnection(null, contextOwnsConnection: true);
            db.Database.SetConnectionString(ownConnectionString);
        }
    }
}
