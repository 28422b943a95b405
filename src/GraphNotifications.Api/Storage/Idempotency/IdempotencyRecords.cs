using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GraphNotifications.Api.Storage.Idempotency;

/// <summary>
/// The recorded answers of <c>Idempotency-Key</c> requests. Works on the request's own context, so that a record
/// joins the transaction of the create it answers for.
/// </summary>
public sealed class IdempotencyRecords(NotificationsDbContext db, TimeProvider clock)
{
    private DbSet<IdempotencyRecord> Records => db.Set<IdempotencyRecord>();

    /// <summary>The live record of a key, or null; an expired one counts as none.</summary>
    public Task<IdempotencyRecord?> FindAsync(IdempotencyScope scope, CancellationToken cancellationToken)
    {
        long now = clock.GetUtcNow().UtcTicks;
        return Records.AsNoTracking().FirstOrDefaultAsync(r => r.TenantId == scope.TenantId && r.AppId == scope.AppId
            && r.UserId == scope.UserId && r.Key == scope.Key && r.ExpiresAt > now, cancellationToken);
    }

    /// <summary>
    /// A transaction for the create and its record, or null on the in-memory store, which has none (nor durability
    /// to protect).
    /// </summary>
    public async Task<IDbContextTransaction?> BeginAsync(CancellationToken cancellationToken) =>
        db.Database.IsRelational() ? await db.Database.BeginTransactionAsync(cancellationToken) : null;

    /// <summary>
    /// Adds the record, replacing an expired one of the same key the sweeper has not reached yet. Null when added;
    /// the record of the request that won, when a concurrent request (on another instance) recorded the key first.
    /// </summary>
    public async Task<IdempotencyRecord?> AddAsync(IdempotencyRecord record, CancellationToken cancellationToken)
    {
        var scope = record.Scope;
        var stale = Records.Where(r => r.TenantId == scope.TenantId && r.AppId == scope.AppId
            && r.UserId == scope.UserId && r.Key == scope.Key && r.ExpiresAt <= record.CreatedAt);
        try
        {
            if (db.Database.IsRelational())
            {
                await stale.ExecuteDeleteAsync(cancellationToken);
            }
            else
            {
                Records.RemoveRange(await stale.ToListAsync(cancellationToken));
            }

            Records.Add(record);
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException)
        {
            // Inside the caller's transaction EF Core wrapped the save in a savepoint, so the store can still be read.
            db.ChangeTracker.Clear();
            var winner = await FindAsync(scope, cancellationToken);
            if (winner is null)
            {
                throw;
            }

            return winner;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Deletes up to <paramref name="batchSize"/> expired records in one statement; returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(int batchSize, CancellationToken cancellationToken)
    {
        long now = clock.GetUtcNow().UtcTicks;
        var expired = Records.Where(r => r.ExpiresAt <= now).OrderBy(r => r.ExpiresAt).Take(batchSize);
        if (db.Database.IsRelational())
        {
            return await expired.ExecuteDeleteAsync(cancellationToken);
        }

        try
        {
            var batch = await expired.ToListAsync(cancellationToken);
            Records.RemoveRange(batch);
            await db.SaveChangesAsync(cancellationToken);
            return batch.Count;
        }
        catch (DbUpdateConcurrencyException)
        {
            return 0;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
