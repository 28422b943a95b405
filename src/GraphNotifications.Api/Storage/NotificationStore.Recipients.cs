using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage.ChangeLog;
using GraphNotifications.Api.Storage.FanOut;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// Fan-out: one of the app's notifications linked into (or removed from) many feeds of its tenant in one transaction,
/// each link made or removed exactly as <see cref="LinkAsync"/> and <see cref="UnlinkAsync"/> make it: a new link starts
/// unread with no interaction, and each is one entry of its feed's change log.
/// </summary>
public sealed partial class NotificationStore
{
    /// <summary>
    /// Links the notification into the feed of each of <paramref name="userIds"/> that does not hold it yet (repeated
    /// ids and ids already linked change nothing), all or none. Returns how many links it made, or null when the app
    /// has no such live notification in its tenant.
    /// </summary>
    public Task<int?> AddRecipientsAsync(AppScope app, string notificationId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken) =>
        FanOutAsync(app, notificationId, userIds, add: true, cancellationToken);

    /// <summary>
    /// Removes the notification from the feed of each of <paramref name="userIds"/> that holds it (the others change
    /// nothing), all or none; each removal is logged as <c>DELETE …/$ref</c> logs it. Returns how many links it
    /// removed, or null when the app has no such live notification in its tenant.
    /// </summary>
    public Task<int?> RemoveRecipientsAsync(AppScope app, string notificationId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken) =>
        FanOutAsync(app, notificationId, userIds, add: false, cancellationToken);

    private async Task<int?> FanOutAsync(AppScope app, string notificationId, IReadOnlyCollection<string> userIds, bool add, CancellationToken cancellationToken)
    {
        // In key order: each feed index takes its new entries in order, and the statement reads no id twice.
        string[] users = [.. userIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var found = await Live(app, notificationId).Select(n => new { n.CreatedAt, n.TargetHostName, n.ExpirationDateTime }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        if (users.Length == 0)
        {
            return 0;
        }

        int? changed = null;
        // Rows written by statements of its own, which the save interceptor that counts links does not see.
        bool untracked = GroupsWrites || (db.Database.IsRelational() && db.Database.CurrentTransaction is null);
        var template = (Link: NewLink(app, string.Empty, notificationId, found.CreatedAt, found.ExpirationDateTime!.Value), Host: found.TargetHostName);
        try
        {
            if (GroupsWrites)
            {
                // SQLite's one writer takes the fan-out alone, between groups of other writes: one transaction of four
                // statements, so other writers wait for it once, for as long as its inserts take (bounded by
                // FanOut:MaxRecipientsPerCall).
                await writeGroups!.WriteAloneAsync(() =>
                {
                    using var transaction = db.Database.BeginTransaction();
                    if (Live(app, notificationId).Any())
                    {
                        var links = RecipientLinks.For(db, users);
                        changed = add ? links.Add(template.Link, Entry(app, notificationId, template.Host, add)) : links.Remove(app, notificationId, Entry(app, notificationId, template.Host, add));
                        transaction.Commit();
                    }
                });
            }
            else
            {
                // Under the notification's lock (PostgreSQL): read again there, then written; a delete, a $ref or
                // another fan-out of it waits, so the links read are the links changed and the log keeps their order.
                await ChangeLogCommit.SaveAsync(db, [notificationId], async ct =>
                {
                    if (!await Live(app, notificationId).AnyAsync(ct))
                    {
                        return;
                    }

                    var entry = Entry(app, notificationId, template.Host, add);
                    changed = untracked
                        ? await (add ? RecipientLinks.For(db, users).AddAsync(template.Link, entry, ct) : RecipientLinks.For(db, users).RemoveAsync(app, notificationId, entry, ct))
                        : await TrackAsync(app, notificationId, users, template.Link, template.Host, add, ct);
                }, cancellationToken);
            }
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        if (untracked && changed is > 0)
        {
            if (add)
            {
                metrics?.LinksCreated(changed.Value);
            }
            else
            {
                metrics?.LinksRemoved(changed.Value);
            }
        }

        return changed;
    }

    /// <summary>
    /// The fan-out as tracked rows, saved by <see cref="ChangeLogCommit"/>: on the in-memory store, and inside a
    /// transaction of the caller's (a <c>$batch</c> atomicity group, whose body bounds it), where the order check
    /// reads the entries it tracks.
    /// </summary>
    private async Task<int> TrackAsync(AppScope app, string notificationId, string[] users, UserNotificationLink template, string? targetHostName, bool add,
        CancellationToken cancellationToken)
    {
        var linked = await db.Links
            .Where(l => l.TenantId == app.TenantId && l.NotificationId == notificationId && users.Contains(l.UserId))
            .ToListAsync(cancellationToken);
        DateTimeOffset now = clock.GetUtcNow();
        if (add)
        {
            var have = linked.Select(l => l.UserId).ToHashSet(StringComparer.Ordinal);
            var fresh = users.Where(u => !have.Contains(u)).ToList();
            foreach (string user in fresh)
            {
                db.Links.Add(NewLink(app, user, notificationId, template.CreatedAt, new DateTimeOffset(template.ExpiresAt, TimeSpan.Zero)));
                db.AppendChange(app, user, notificationId, targetHostName, FeedChangeType.Created, null, now);
            }

            return fresh.Count;
        }

        foreach (var link in linked)
        {
            db.Links.Remove(link);
            db.AppendChange(app, link.UserId, notificationId, targetHostName, FeedChangeType.Deleted, RemovedReason.Changed, now);
        }

        return linked.Count;
    }

    /// <summary>The change-log entry of one new link (created) or one removal (deleted, as a dismissal: Graph's "changed").</summary>
    private ChangeLogEntry Entry(AppScope app, string notificationId, string? targetHostName, bool add) =>
        add
            ? ChangeLogAppends.NewEntry(app, string.Empty, notificationId, targetHostName, FeedChangeType.Created, null, clock.GetUtcNow())
            : ChangeLogAppends.NewEntry(app, string.Empty, notificationId, targetHostName, FeedChangeType.Deleted, RemovedReason.Changed, clock.GetUtcNow());

    private IQueryable<Notification> Live(AppScope app, string notificationId) => OwnedBy(app).Where(n => n.Id == notificationId);
}
