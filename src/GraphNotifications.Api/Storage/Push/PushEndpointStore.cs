using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage.Push;

/// <summary>What a registration did: stored a new endpoint, replaced the keys of the same endpoint, or found the user's limit reached.</summary>
public enum PushEndpointAdded
{
    Created,
    Replaced,
    LimitReached,
}

/// <summary>
/// Reads and writes push endpoints, always as one user's under one app of one tenant: another's endpoint does not
/// exist. An expired endpoint is not read, and is deleted by the push endpoint sweeper.
/// </summary>
public sealed class PushEndpointStore(NotificationsDbContext db, TimeProvider clock)
{
    public IKeysetCollection<PushEndpoint> Pages(AppScope app, string userId) => new PushEndpointCollection(db, app, userId, clock.GetUtcNow());

    public Task<PushEndpoint?> FindAsync(AppScope app, string userId, string id, CancellationToken cancellationToken) =>
        Owned(db.PushEndpoints.AsNoTracking(), app, userId, clock.GetUtcNow()).FirstOrDefaultAsync(e => e.Id == id, cancellationToken);

    /// <summary>
    /// Stores <paramref name="endpoint"/> for the user, unless the user has <paramref name="maxPerUser"/> already. The
    /// same endpoint URL registered again (a browser re-subscribing) keeps its id and takes the new keys and expiry.
    /// </summary>
    public async Task<(PushEndpointAdded Outcome, PushEndpoint Endpoint)> AddAsync(AppScope app, string userId, PushEndpoint endpoint, int maxPerUser,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var mine = db.PushEndpoints.Where(e => e.TenantId == app.TenantId && e.AppId == app.AppId && e.UserId == userId);
        var same = await mine.FirstOrDefaultAsync(e => e.Endpoint == endpoint.Endpoint, cancellationToken);
        if (same is not null)
        {
            same.Keys = new PushEndpointKeys { P256dh = endpoint.Keys.P256dh, Auth = endpoint.Keys.Auth };
            same.ExpirationDateTime = endpoint.ExpirationDateTime;
            same.PlatformType = endpoint.PlatformType;
            await db.SaveChangesAsync(cancellationToken);
            return (PushEndpointAdded.Replaced, same);
        }

        if (await mine.CountAsync(e => e.ExpirationDateTime == null || e.ExpirationDateTime > now, cancellationToken) >= maxPerUser)
        {
            return (PushEndpointAdded.LimitReached, endpoint);
        }

        endpoint.Id = Guid.NewGuid().ToString();
        endpoint.TenantId = app.TenantId;
        endpoint.AppId = app.AppId;
        endpoint.UserId = userId;
        endpoint.CreatedDateTime = now;
        db.PushEndpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return (PushEndpointAdded.Created, endpoint);
    }

    public async Task<bool> DeleteAsync(AppScope app, string userId, string id, CancellationToken cancellationToken)
    {
        var endpoint = await Owned(db.PushEndpoints, app, userId, clock.GetUtcNow()).FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (endpoint is null)
        {
            return false;
        }

        db.PushEndpoints.Remove(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Deletes up to <paramref name="batchSize"/> expired endpoints (their pending pushes with them); returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(int batchSize, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expired = db.PushEndpoints.Where(e => e.ExpirationDateTime <= now).OrderBy(e => e.ExpirationDateTime).Select(e => e.Id).Take(batchSize);
        if (db.Database.IsRelational())
        {
            return await db.PushEndpoints.Where(e => expired.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        var batch = await db.PushEndpoints.Where(e => expired.Contains(e.Id)).ToListAsync(cancellationToken);
        db.PushEndpoints.RemoveRange(batch);
        await db.SaveChangesAsync(cancellationToken);
        return batch.Count;
    }

    internal static IQueryable<PushEndpoint> Owned(IQueryable<PushEndpoint> endpoints, AppScope app, string userId, DateTimeOffset now) =>
        endpoints.Where(e => e.TenantId == app.TenantId && e.AppId == app.AppId && e.UserId == userId
            && (e.ExpirationDateTime == null || e.ExpirationDateTime > now));
}
