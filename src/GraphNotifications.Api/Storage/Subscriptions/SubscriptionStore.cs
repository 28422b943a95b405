using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage.Subscriptions;

/// <summary>Reads and writes subscriptions, always through the owner's view: another owner's subscription does not exist.</summary>
public sealed class SubscriptionStore(NotificationsDbContext db, TimeProvider clock)
{
    public IKeysetCollection<Subscription> Pages(SubscriptionOwner owner) => new SubscriptionCollection(db, owner, clock.GetUtcNow());

    public Task<Subscription?> FindAsync(SubscriptionOwner owner, string id, CancellationToken cancellationToken) =>
        Visible(db.Subscriptions, owner, clock.GetUtcNow()).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);

    public async Task AddAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Saves the changes made to a subscription <see cref="FindAsync"/> returned.</summary>
    public Task SaveAsync(CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);

    public async Task<bool> DeleteAsync(SubscriptionOwner owner, string id, CancellationToken cancellationToken)
    {
        var subscription = await FindAsync(owner, id, cancellationToken);
        if (subscription is null)
        {
            return false;
        }

        db.Subscriptions.Remove(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Deletes up to <paramref name="batchSize"/> expired subscriptions; returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(int batchSize, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expired = db.Subscriptions.Where(s => s.ExpirationDateTime <= now).OrderBy(s => s.ExpirationDateTime).Take(batchSize);
        if (db.Database.IsRelational())
        {
            return await expired.ExecuteDeleteAsync(cancellationToken);
        }

        // The in-memory provider cannot ExecuteDelete: load the batch and remove it.
        try
        {
            var batch = await expired.ToListAsync(cancellationToken);
            db.Subscriptions.RemoveRange(batch);
            await db.SaveChangesAsync(cancellationToken);
            return batch.Count;
        }
        catch (DbUpdateConcurrencyException)
        {
            // One of them went meanwhile (deleted by its owner); the next sweep takes the rest.
            return 0;
        }
    }

    internal static IQueryable<Subscription> Visible(IQueryable<Subscription> subscriptions, SubscriptionOwner owner, DateTimeOffset now)
    {
        var (tenantId, applicationId, userId) = owner;
        return subscriptions.Where(s => s.TenantId == tenantId && s.ApplicationId == applicationId && s.OwnerUserId == userId
            && s.ExpirationDateTime > now);
    }
}
