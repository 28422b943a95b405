using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Protocol;
using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage.ChangeLog;
using GraphNotifications.Api.Storage.EntityConfigurations;
using GraphNotifications.Api.Storage.GroupCommit;
using GraphNotifications.Api.Telemetry;
using GraphNotifications.Api.Validation;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// Reads and writes notifications and feed links. Every read and write is scoped to the app that owns the
/// notifications and to its tenant (<see cref="AppScope"/>), and leaves out what has expired: an expired notification
/// is gone the moment it expires. Only the expiry sweep runs across tenants. Every write that changes a feed appends
/// its <see cref="ChangeLogEntry"/> entries in the same transaction (<see cref="ChangeLogCommit"/>).
/// </summary>
public sealed partial class NotificationStore(NotificationsDbContext db, TimeProvider clock, SqliteWriteGroups? writeGroups = null,
    PostgresCreateGroups? postgresCreates = null, GraphMetrics? metrics = null)
{
    /// <summary>The owning app's live notifications in its tenant, linked to users or not.</summary>
    public IQueryable<Notification> OwnedBy(AppScope app) => OwnedPages(app).Unordered;

    /// <summary>The owning app's live notifications in the feed of one user of its tenant.</summary>
    public IQueryable<Notification> Feed(AppScope app, string userId) => FeedPages(app, userId).Unordered;

    /// <summary>The <c>notifications</c> entity set of one app in its tenant, for a client to page through.</summary>
    public IKeysetCollection<Notification> OwnedPages(AppScope app) => new OwnedCollection(db, app, clock.GetUtcNow());

    /// <summary>One user's feed of one app's notifications, for a client to page through.</summary>
    public IKeysetCollection<Notification> FeedPages(AppScope app, string userId) => new FeedCollection(db, app, userId, clock.GetUtcNow());

    /// <summary>The users of its tenant the app has linked notifications to, for a client to page through.</summary>
    public IKeysetCollection<User> UserPages(AppScope app) => new UserCollection(db, app);

    /// <summary>
    /// Stores a new notification of the app in its tenant and, when a user is named, links it into that user's
    /// feed, in one commit. The service assigns the id, keeps the expiry in UTC, and makes it Graph's maximum when
    /// none was sent.
    /// </summary>
    public async Task CreateAsync(Notification notification, AppScope app, string? userId, CancellationToken cancellationToken)
    {
        DateTimeOffset now = clock.GetUtcNow();
        // A version 7 UUID: ids in creation order put each create's entries in the id indexes (the notification's key,
        // the feed link's key and its notification index) at their ends, where a random id dirtied a random page of
        // each, and SQLite's log wrote those pages on every commit. Graph's ids are opaque: clients must not read
        // anything into them.
        notification.Id = Guid.CreateVersion7(now).ToString();
        notification.ExpirationDateTime = (notification.ExpirationDateTime ?? now + NotificationRules.MaximumLifetime).ToUniversalTime();
        notification.CreatedAt = now.UtcTicks;
        notification.CreatedDateTime = new DateTimeOffset(now.UtcTicks, TimeSpan.Zero);
        notification.Version = 1;
        notification.DynamicProperties = DynamicPropertiesJson.AsStored(notification.DynamicProperties);
        if (userId is not null)
        {
            // Created into a feed: the answer is the item as that feed shows it, with a new link's state.
            RecipientState.Fresh.ShowOn(notification);
        }

        if (GroupsWrites)
        {
            await writeGroups!.WriteCreateAsync(CreateRows(notification, app, userId, now));
            return;
        }

        if (GroupsPostgresCreates)
        {
            await postgresCreates!.WriteCreateAsync(CreateRows(notification, app, userId, now));
            return;
        }

        var entry = StageCreate(db, notification, app, userId, now);
        if (userId is null)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            // StageCreate added the feed's entry; nothing else can change a notification before it exists.
            await ChangeLogCommit.SaveAsync(db, [], _ => Task.CompletedTask, cancellationToken);
        }

        entry.State = EntityState.Detached;
    }

    /// <summary>
    /// Links one of the app's notifications into the feed of a user of its tenant; linking what is already linked
    /// changes nothing. False when the app has no such live notification in its tenant.
    /// </summary>
    public async Task<bool> LinkAsync(AppScope app, string userId, string notificationId, CancellationToken cancellationToken)
    {
        var found = await OwnedBy(app).Where(n => n.Id == notificationId)
            .Select(n => new { n.CreatedAt, n.TargetHostName, n.ExpirationDateTime })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return false;
        }

        if (await IsLinkedAsync(app.TenantId, userId, notificationId, cancellationToken))
        {
            return true;
        }

        db.Links.Add(NewLink(app, userId, notificationId, found.CreatedAt, found.ExpirationDateTime!.Value));
        try
        {
            await SaveWithChangeAsync(notificationId,
                () => db.AppendChange(app, userId, notificationId, found.TargetHostName, FeedChangeType.Created, null, clock.GetUtcNow()), cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await IsLinkedAsync(app.TenantId, userId, notificationId, cancellationToken))
            {
                // Deleted (or swept) since it was found: the link's foreign key refused it.
                if (!await db.Notifications.AnyAsync(n => n.Id == notificationId, cancellationToken))
                {
                    return false;
                }

                throw;
            }

            // A concurrent request linked it first: the outcome the caller asked for.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        return true;
    }

    /// <summary>Removes one of the app's notifications from the feed of a user of its tenant; false when it was not there.</summary>
    public async Task<bool> UnlinkAsync(AppScope app, string userId, string notificationId, CancellationToken cancellationToken)
    {
        var link = await db.Links.FirstOrDefaultAsync(
            l => l.TenantId == app.TenantId && l.UserId == userId && l.NotificationId == notificationId && l.AppId == app.AppId,
            cancellationToken);
        if (link is null)
        {
            return false;
        }

        // For the change-log entry: a webhook filtered on targetHostName hears of dismissals too.
        string? targetHostName = await db.Notifications.Where(n => n.Id == notificationId).Select(n => n.TargetHostName).FirstOrDefaultAsync(cancellationToken);
        db.Links.Remove(link);
        try
        {
            // Dismissed from this feed only: Graph's "changed", the notification lives on and may be linked again.
            await SaveWithChangeAsync(notificationId,
                () => db.AppendChange(app, userId, notificationId, targetHostName, FeedChangeType.Deleted, RemovedReason.Changed, clock.GetUtcNow()),
                cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A concurrent request removed it first: the outcome the caller asked for.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        return true;
    }

    /// <summary>
    /// Updates a notification: reads it, checks <paramref name="preconditions"/> against its entity tag, applies the
    /// change, checks Graph's rules on the result, and writes it with its version raised. The write is conditional on
    /// the version read (the concurrency token is in the UPDATE's WHERE), so a concurrent writer is never overwritten:
    /// on a conflict the notification is read again and the change applied again, up to
    /// <see cref="MaxAttempts"/> times; the precondition is checked anew each time, so with an entity tag the
    /// second writer gets <see cref="ChangeOutcome.PreconditionFailed"/>.
    /// Through a feed (<see cref="NotificationScope.UserId"/> set) the tag also covers that recipient's state, and
    /// <paramref name="state"/> changes that recipient's state alone; content changes are the app's, for every
    /// feed. A content change is logged to every feed the notification is in, a state change to the recipient's.
    /// </summary>
    /// <param name="apply">Applies the content change to the tracked notification, or null when there is none; it may run more than once.</param>
    public Task<NotificationChange> UpdateAsync(NotificationScope scope, string notificationId, EntityTagPreconditions preconditions,
        Action<Notification>? apply, CancellationToken cancellationToken, StateChange? state = null)
    {
        bool contentChanged = false;
        bool stateChanged = false;
        bool expiryChanged = false;
        return ChangeAsync(scope, notificationId, preconditions, FeedChangeType.Updated, null, (notification, link, now, _) =>
        {
            var problems = new List<GraphErrorDetail>();
            contentChanged = apply is not null;
            if (apply is not null)
            {
                var created = notification.CreatedDateTime;
                var expires = notification.ExpirationDateTime;
                apply(notification);
                if (notification.CreatedDateTime != created)
                {
                    problems.Add(new(GraphErrorCodes.ReadOnlyProperty,
                        "'createdDateTime' is set by the service and cannot be changed; leave it out, or send it as it is.", "createdDateTime"));
                    return Task.FromResult<NotificationChange?>(new(ChangeOutcome.Invalid, Problems: problems));
                }

                NotificationRules.Check(notification, now, problems);
                if (problems.Count > 0)
                {
                    return Task.FromResult<NotificationChange?>(new(ChangeOutcome.Invalid, Problems: problems));
                }

                // As at creation: kept in UTC, and null means Graph's maximum (from now).
                notification.ExpirationDateTime = (notification.ExpirationDateTime ?? now + NotificationRules.MaximumLifetime).ToUniversalTime();
                expiryChanged = notification.ExpirationDateTime != expires;
                notification.DynamicProperties = DynamicPropertiesJson.AsStored(notification.DynamicProperties);
                notification.Version++;
            }

            stateChanged = state is not null && link is not null && state.ApplyTo(link, notification.ExpirationDateTime, now, problems);
            if (problems.Count > 0)
            {
                return Task.FromResult<NotificationChange?>(new(ChangeOutcome.Invalid, Problems: problems));
            }

            if (!contentChanged && stateChanged && preconditions.IfMatch is not null)
            {
                // The tag the client named covers the content too: the state's write is conditional on the
                // content version read as well, so a content change committed meanwhile makes it a conflict.
                db.Entry(notification).Property(n => n.Version).IsModified = true;
            }

            if (link is not null)
            {
                RecipientState.Of(link).ShowOn(notification);
            }

            return Task.FromResult<NotificationChange?>(!contentChanged && !stateChanged ? new(ChangeOutcome.Done, notification) : null);
        }, cancellationToken, appendOverride: (notification, now, ct) =>
        {
            if (!contentChanged && stateChanged)
            {
                db.AppendChange(scope.App, scope.UserId!, notification.Id, notification.TargetHostName, FeedChangeType.Updated, null, now);
                return Task.CompletedTask;
            }

            return AppendContentChangeAsync(notification, expiryChanged, now, ct);
        });
    }

    /// <summary>
    /// A content change, logged to every feed the notification is in; a new expiry is copied onto each of its links
    /// in the same transaction (the feeds filter on the link's copy).
    /// </summary>
    private async Task AppendContentChangeAsync(Notification notification, bool expiryChanged, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (expiryChanged)
        {
            long expiresAt = notification.ExpirationDateTime!.Value.UtcTicks;
            string id = notification.Id;
            if (db.Database.IsRelational())
            {
                // One statement whatever the number of recipients; the links' state versions are the recipients' and stay.
                await db.Links.Where(l => l.NotificationId == id).ExecuteUpdateAsync(set => set.SetProperty(l => l.ExpiresAt, expiresAt), cancellationToken);
            }
            else
            {
                foreach (var link in await db.Links.Where(l => l.NotificationId == id).ToListAsync(cancellationToken))
                {
                    link.ExpiresAt = expiresAt;
                }
            }
        }

        await db.AppendToEveryFeedAsync(notification, FeedChangeType.Updated, null, now, cancellationToken);
    }

    /// <summary>
    /// Deletes a notification, and with it every link to it (every feed it was in). Conditional on the version
    /// read, as <see cref="UpdateAsync"/> is.
    /// </summary>
    public Task<NotificationChange> DeleteAsync(NotificationScope scope, string notificationId, EntityTagPreconditions preconditions, CancellationToken cancellationToken) =>
        ChangeAsync(scope, notificationId, preconditions, FeedChangeType.Deleted, RemovedReason.Deleted, async (notification, _, _, ct) =>
        {
            // A relational store deletes the links by the foreign key's ON DELETE CASCADE, in the same statement;
            // the in-memory store has no foreign keys, and EF Core cascades only to the links it tracks.
            if (!db.Database.IsRelational())
            {
                await db.Links.Where(l => l.NotificationId == notificationId).LoadAsync(ct);
            }

            db.Notifications.Remove(notification);
            return null;
        }, cancellationToken);

    /// <summary>
    /// The read–check–write loop an update and a delete share: reads the notification as the scope addresses it,
    /// checks <paramref name="preconditions"/>, lets <paramref name="stage"/> stage the change (or answer instead), and
    /// saves it with the change logged to every feed it is in. The save is conditional on the version read; on a
    /// conflict everything is read and staged again, up to <see cref="MaxAttempts"/> times.
    /// </summary>
    private async Task<NotificationChange> ChangeAsync(NotificationScope scope, string notificationId, EntityTagPreconditions preconditions,
        FeedChangeType changeType, RemovedReason? reason,
        Func<Notification, UserNotificationLink?, DateTimeOffset, CancellationToken, Task<NotificationChange?>> stage, CancellationToken cancellationToken,
        Func<Notification, DateTimeOffset, CancellationToken, Task>? appendOverride = null)
    {
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                DateTimeOffset now = clock.GetUtcNow();
                var notification = await Addressed(scope, notificationId, now).FirstOrDefaultAsync(cancellationToken);
                if (notification is null)
                {
                    return new(ChangeOutcome.NotFound);
                }

                // Through a feed, the recipient's link: its state is part of the item's tag there.
                UserNotificationLink? link = null;
                if (scope.UserId is { } userId)
                {
                    link = await db.Links.FirstOrDefaultAsync(
                        l => l.TenantId == scope.App.TenantId && l.UserId == userId && l.NotificationId == notificationId, cancellationToken);
                    if (link is null)
                    {
                        return new(ChangeOutcome.NotFound);
                    }
                }

                if (preconditions.FailingHeader(NotificationETags.Format(notification.Version, link?.StateVersion ?? 0)) is { } failing)
                {
                    return new(ChangeOutcome.PreconditionFailed, FailedPrecondition: failing);
                }

                if (await stage(notification, link, now, cancellationToken) is { } answer)
                {
                    return answer;
                }

                try
                {
                    // The feeds are read under the notification's lock, so a link made meanwhile cannot be changed (or
                    // cascaded away) unlogged.
                    await ChangeLogCommit.SaveAsync(db, [notificationId],
                        ct => appendOverride is not null
                            ? appendOverride(notification, now, ct)
                            : db.AppendToEveryFeedAsync(notification, changeType, reason, now, ct), cancellationToken);
                    return new(ChangeOutcome.Done, notification);
                }
                catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
                {
                    db.ChangeTracker.Clear();
                }
                catch (DbUpdateConcurrencyException)
                {
                    return new(ChangeOutcome.Conflict);
                }
            }
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> expired notifications, oldest expiry first, with their links, in
    /// one short transaction that also logs each feed they leave; returns how many. Reads already leave expired
    /// notifications out; this reclaims them, in every tenant.
    /// </summary>
    public async Task<int> DeleteExpiredAsync(int batchSize, CancellationToken cancellationToken)
    {
        DateTimeOffset now = clock.GetUtcNow();
        try
        {
            // Read, then locked, then their feeds read under the locks (a link made meanwhile is read too).
            var batch = await db.Notifications
                .Where(n => n.ExpirationDateTime <= now)
                .OrderBy(n => n.ExpirationDateTime)
                .Take(batchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return 0;
            }

            var ids = batch.Select(n => n.Id).ToList();
            await ChangeLogCommit.SaveAsync(db, ids, async ct =>
            {
                // Tracked, so that EF Core deletes them with their notifications (the in-memory store has no cascade).
                var links = await db.Links.Where(l => ids.Contains(l.NotificationId)).ToListAsync(ct);
                var hosts = batch.ToDictionary(n => n.Id, n => n.TargetHostName, StringComparer.Ordinal);
                foreach (var link in links)
                {
                    db.AppendChange(new AppScope(link.TenantId, link.AppId), link.UserId, link.NotificationId, hosts[link.NotificationId],
                        FeedChangeType.Deleted, RemovedReason.Deleted, now);
                }

                // Each delete is conditional on the version read: one extended meanwhile stays, and the batch waits.
                db.Notifications.RemoveRange(batch);
            }, cancellationToken);
            return batch.Count;
        }
        catch (DbUpdateConcurrencyException)
        {
            // One of them changed or went meanwhile; the next sweep takes the rest.
            return 0;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>How often an update or delete is tried when concurrent writers keep changing the notification.</summary>
    public const int MaxAttempts = 10;

    /// <summary>
    /// The notification a request addresses, tracked for a change: live, the app's own in its tenant, and in the
    /// feed if one is named.
    /// </summary>
    private IQueryable<Notification> Addressed(NotificationScope scope, string notificationId, DateTimeOffset now)
    {
        var (tenantId, appId) = (scope.App.TenantId, scope.App.AppId);
        var query = db.Notifications.Where(n => n.Id == notificationId
            && EF.Property<string>(n, StorageColumns.TenantId) == tenantId
            && EF.Property<string>(n, StorageColumns.AppId) == appId
            && n.ExpirationDateTime > now);
        return scope.UserId is null
            ? query
            : query.Where(n => db.Links.Any(l => l.TenantId == tenantId && l.UserId == scope.UserId && l.NotificationId == n.Id));
    }

    private static UserNotificationLink NewLink(AppScope app, string userId, string notificationId, long createdAt, DateTimeOffset expiresAt) =>
        new()
        {
            TenantId = app.TenantId,
            UserId = userId,
            NotificationId = notificationId,
            AppId = app.AppId,
            CreatedAt = createdAt,
            ExpiresAt = expiresAt.UtcTicks,
        };

    private Task<bool> IsLinkedAsync(string tenantId, string userId, string notificationId, CancellationToken cancellationToken) =>
        db.Links.AnyAsync(l => l.TenantId == tenantId && l.UserId == userId && l.NotificationId == notificationId, cancellationToken);
}
