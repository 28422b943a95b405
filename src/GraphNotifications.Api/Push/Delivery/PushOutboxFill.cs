using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.ChangeLog;
using GraphNotifications.Api.Storage.Push;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Push.Delivery;

/// <summary>
/// Turns the change log into pending pushes, one batch of entries per transaction: the pushes are written and the
/// outbox's position (<see cref="PushOutboxPosition"/>) moved past the batch in the same transaction, so each change
/// becomes its pushes exactly once, whoever crashes when. One instance at a time does it: on PostgreSQL it locks the
/// position's row (<c>FOR UPDATE SKIP LOCKED</c>: another instance busy filling is skipped, not waited for); SQLite's
/// transaction holds the one write lock from its start. Whatever enters a feed — a create, a <c>$ref</c>, a link any
/// other request makes — is a <c>created</c> entry here, and becomes a push without its writer knowing of pushes.
/// </summary>
/// <remarks>
/// Per entry, for each live <c>webPush</c> endpoint of the feed's (tenant, app, user):
/// <list type="bullet">
/// <item><c>created</c>: a <see cref="PushKind.Show"/> push, when the notification still exists, has not expired, and
/// its <c>targetPolicy/platformTypes</c> names <c>webPush</c> or names nothing (Graph sent to every platform then);</item>
/// <item><c>updated</c>: a <see cref="PushKind.Close"/> push when the recipient has read, activated or dismissed it;</item>
/// <item><c>deleted</c> (dismissed from the feed, deleted, expired): a <see cref="PushKind.Close"/> push.</item>
/// </list>
/// A close is sent under the same policy as the show (all of them for a notification that is gone).
/// </remarks>
internal static class PushOutboxFill
{
    private const string LockedPosition = """SELECT * FROM "PushOutboxPosition" WHERE "Id" = 1""";

    /// <summary>Handles one batch of entries; returns how many (0: nothing new, or another instance is at it).</summary>
    public static async Task<int> FillOnceAsync(NotificationsDbContext db, int batchSize, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var held = await db.PushOutboxPosition
            .FromSqlRaw(db.Database.IsNpgsql() ? LockedPosition + " FOR UPDATE SKIP LOCKED" : LockedPosition)
            .AsNoTracking().ToListAsync(cancellationToken);
        if (held.Count == 0)
        {
            await StartAsync(db, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }

        var position = new ChangeLogPosition(held[0].TransactionId, held[0].Sequence);
        var entries = await new ChangeLogReader(db).ChangesAsync(position, batchSize, cancellationToken);
        if (entries.Count == 0)
        {
            return 0;
        }

        var pushes = await PushesForAsync(db, entries, now, cancellationToken);
        if (pushes.Count > 0)
        {
            db.PendingPushes.AddRange(pushes);
            await db.SaveChangesAsync(cancellationToken);
        }

        var last = entries[^1].Position;
        await db.PushOutboxPosition.Where(p => p.Id == PushOutboxPosition.SingleRow)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.TransactionId, last.TransactionId).SetProperty(p => p.Sequence, last.Sequence), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return entries.Count;
    }

    /// <summary>
    /// The first fill on a store: pushes start with the changes committed from now on (the log's high-water mark).
    /// Another instance may be creating the row at the same moment, or hold its lock: nothing is written then.
    /// </summary>
    private static async Task StartAsync(NotificationsDbContext db, CancellationToken cancellationToken)
    {
        var mark = await new ChangeLogReader(db).HighWaterMarkAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "PushOutboxPosition" ("Id", "TransactionId", "Sequence") VALUES ({PushOutboxPosition.SingleRow}, {mark.TransactionId}, {mark.Sequence})
            ON CONFLICT ("Id") DO NOTHING
            """, cancellationToken);
    }

    private static async Task<List<PendingPush>> PushesForAsync(NotificationsDbContext db, List<ChangeLogEntry> entries, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        string[] users = [.. entries.Select(e => e.UserId).Distinct(StringComparer.Ordinal)];
        string[] apps = [.. entries.Select(e => e.AppId).Distinct(StringComparer.Ordinal)];
        var endpoints = (await db.PushEndpoints.AsNoTracking()
                .Where(e => users.Contains(e.UserId) && apps.Contains(e.AppId) && e.PlatformType == PushEndpointBody.WebPush
                    && (e.ExpirationDateTime == null || e.ExpirationDateTime > now))
                .Select(e => new { e.Id, e.TenantId, e.AppId, e.UserId })
                .ToListAsync(cancellationToken))
            .ToLookup(e => (e.TenantId, e.AppId, e.UserId), e => e.Id);
        var reached = entries.Where(e => endpoints.Contains((e.TenantId, e.AppId, e.UserId))).ToList();
        if (reached.Count == 0)
        {
            return [];
        }

        string[] ids = [.. reached.Select(e => e.NotificationId).Distinct(StringComparer.Ordinal)];
        var notifications = await db.Notifications.AsNoTracking()
            .Where(n => ids.Contains(n.Id))
            .Select(n => new { n.Id, n.ExpirationDateTime, n.TargetPolicy })
            .ToDictionaryAsync(n => n.Id, cancellationToken);
        // The recipients' states, for updates only, and only of the entries' users: a notification fanned out to many
        // feeds has a link per recipient, and reading them all for every batch would grow with the audience.
        string[] updated = [.. reached.Where(e => e.ChangeType == FeedChangeType.Updated).Select(e => e.NotificationId).Distinct(StringComparer.Ordinal)];
        string[] updatedUsers = [.. reached.Where(e => e.ChangeType == FeedChangeType.Updated).Select(e => e.UserId).Distinct(StringComparer.Ordinal)];
        var states = (await db.Links.AsNoTracking()
                .Where(l => updated.Contains(l.NotificationId) && updatedUsers.Contains(l.UserId))
                .Select(l => new { l.TenantId, l.AppId, l.UserId, l.NotificationId, l.ReadState, l.UserActionState })
                .ToListAsync(cancellationToken))
            .ToDictionary(l => (l.TenantId, l.AppId, l.UserId, l.NotificationId));

        var pushes = new List<PendingPush>();
        foreach (var entry in reached)
        {
            notifications.TryGetValue(entry.NotificationId, out var notification);
            if (notification is not null && !TargetsWebPush(notification.TargetPolicy))
            {
                continue;
            }

            PushKind? kind = entry.ChangeType switch
            {
                FeedChangeType.Created when notification is not null && (notification.ExpirationDateTime is null || notification.ExpirationDateTime > now) => PushKind.Show,
                FeedChangeType.Updated when states.TryGetValue((entry.TenantId, entry.AppId, entry.UserId, entry.NotificationId), out var state)
                    && (state.ReadState == NotificationReadState.Read
                        || state.UserActionState is NotificationUserActionState.Activated or NotificationUserActionState.Dismissed) => PushKind.Close,
                FeedChangeType.Deleted => PushKind.Close,
                _ => null,
            };
            if (kind is null)
            {
                continue;
            }

            foreach (string endpointId in endpoints[(entry.TenantId, entry.AppId, entry.UserId)])
            {
                pushes.Add(new PendingPush { EndpointId = endpointId, NotificationId = entry.NotificationId, Kind = kind.Value, EnqueuedAt = now.UtcTicks });
            }
        }

        return pushes;
    }

    /// <summary>Whether the policy lets the notification go to web push: it names webPush (in any case), or names no platform.</summary>
    public static bool TargetsWebPush(TargetPolicyEndpoints? policy) =>
        policy is null || policy.PlatformTypes.Count == 0
        || policy.PlatformTypes.Any(p => string.Equals(p, PushEndpointBody.WebPush, StringComparison.OrdinalIgnoreCase));
}
