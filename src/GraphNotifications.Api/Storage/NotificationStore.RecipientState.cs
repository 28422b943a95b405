using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage.ChangeLog;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage;

/// <summary>The store's writes of recipients' state that span many items: mark all as read, and snoozes that end.</summary>
public sealed partial class NotificationStore
{
    /// <summary>
    /// Marks as read every unread, live item of one user's feed of the app that was created at or before
    /// <paramref name="through"/>: in batches of at most <paramref name="batchSize"/>, each its own short transaction
    /// that logs each item it changes as updated, so other writers wait for one batch at most. The cut-off is fixed
    /// before the first batch, so the result is the one a single instant would give: an item created after it stays
    /// unread however long the batches take. Returns how many items it marked, or null when concurrent changes of the
    /// same items kept winning (<see cref="MaxAttempts"/> times in a row): what was marked stays marked, and calling
    /// again finishes the rest.
    /// </summary>
    public async Task<int?> MarkAllAsReadAsync(AppScope app, string userId, DateTimeOffset through, int batchSize, CancellationToken cancellationToken)
    {
        long cutoff = through.UtcTicks;
        var (tenantId, appId) = app;
        int total = 0;
        int conflicts = 0;
        while (true)
        {
            int marked = 0;
            int found;
            try
            {
                // Along the feed's read-state index: the unread part of the feed, oldest first. Read, then locked,
                // then read again under the locks (one read meanwhile by the recipient is left as it is).
                long read = clock.GetUtcNow().UtcTicks;
                var ids = await db.Links.AsNoTracking()
                    .Where(l => l.TenantId == tenantId && l.UserId == userId && l.AppId == appId
                        && l.ReadState == NotificationReadState.Unread && l.CreatedAt <= cutoff
                        && l.ExpiresAt > read)
                    .OrderBy(l => l.CreatedAt)
                    .Take(batchSize)
                    .Select(l => l.NotificationId)
                    .ToListAsync(cancellationToken);
                found = ids.Count;
                if (found == 0)
                {
                    return total;
                }

                await ChangeLogCommit.SaveAsync(db, ids, async ct =>
                {
                    DateTimeOffset now = clock.GetUtcNow();
                    long live = now.UtcTicks;
                    var batch = await db.Links
                        .Where(l => l.TenantId == tenantId && l.UserId == userId && l.AppId == appId && ids.Contains(l.NotificationId)
                            && l.ReadState == NotificationReadState.Unread && l.ExpiresAt > live)
                        .Select(l => new { Link = l, l.Notification!.TargetHostName })
                        .ToListAsync(ct);
                    foreach (var item in batch)
                    {
                        item.Link.ReadState = NotificationReadState.Read;
                        item.Link.StateVersion++;
                        db.AppendChange(app, userId, item.Link.NotificationId, item.TargetHostName, FeedChangeType.Updated, null, now);
                    }

                    marked = batch.Count;
                }, cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A state changed meanwhile (the recipient on another device): read the batch again.
                if (++conflicts >= MaxAttempts)
                {
                    return null;
                }

                continue;
            }
            finally
            {
                db.ChangeTracker.Clear();
            }

            total += marked;
            conflicts = 0;
            if (found < batchSize)
            {
                return total;
            }
        }
    }

    /// <summary>
    /// Ends up to <paramref name="batchSize"/> snoozes whose time has come, in every tenant: each item becomes
    /// <c>noInteraction</c> again, logged as one updated change of its feed. One short transaction; each update is
    /// conditional on the state version read, so of several instances sweeping at once one ends a snooze and the
    /// others change nothing (their batch fails and the next sweep reads afresh). Returns how many it ended.
    /// </summary>
    public async Task<int> ResurfaceSnoozedAsync(int batchSize, CancellationToken cancellationToken)
    {
        // Most sweeps find nothing: a read along the index first, so that they take no write transaction (and no
        // change log lock) and are not taken for a write that succeeded by the store's health. What it finds is
        // locked, then read again under the locks.
        DateTimeOffset due = clock.GetUtcNow();
        var ids = await db.Links.AsNoTracking()
            .Where(l => l.SnoozedUntil <= due && l.UserActionState == NotificationUserActionState.Snoozed)
            .OrderBy(l => l.SnoozedUntil)
            .Take(batchSize)
            .Select(l => l.NotificationId)
            .ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return 0;
        }

        int ended = 0;
        try
        {
            await ChangeLogCommit.SaveAsync(db, ids, async ct =>
            {
                DateTimeOffset now = clock.GetUtcNow();
                var batch = await db.Links
                    .Where(l => ids.Contains(l.NotificationId) && l.SnoozedUntil <= now && l.UserActionState == NotificationUserActionState.Snoozed)
                    .OrderBy(l => l.SnoozedUntil)
                    .Take(batchSize)
                    .Select(l => new { Link = l, l.Notification!.TargetHostName })
                    .ToListAsync(ct);
                foreach (var item in batch)
                {
                    item.Link.UserActionState = NotificationUserActionState.NoInteraction;
                    item.Link.SnoozedUntil = null;
                    item.Link.StateVersion++;
                    db.AppendChange(new AppScope(item.Link.TenantId, item.Link.AppId), item.Link.UserId, item.Link.NotificationId, item.TargetHostName,
                        FeedChangeType.Updated, null, now);
                }

                ended = batch.Count;
            }, cancellationToken);
            return ended;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance (or the recipient) changed one of them first; the next sweep takes what is left.
            return 0;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
