using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage.ChangeLog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// How the store's writes reach SQLite's one writer (<see cref="GroupCommit.SqliteWriteGroups"/>), and creates
/// PostgreSQL's create groups (<see cref="GroupCommit.PostgresCreateGroups"/>).
/// </summary>
public sealed partial class NotificationStore
{
    /// <summary>
    /// Writes go through the SQLite writer unless the caller has a transaction of its own (an idempotent create with
    /// its key record, a $batch atomicity group): those commit on their own connection, all or nothing.
    /// </summary>
    private bool GroupsWrites => writeGroups is not null && db.Database.CurrentTransaction is null;

    /// <summary>On PostgreSQL creates are committed in groups, unless the caller has a transaction of its own.</summary>
    private bool GroupsPostgresCreates => postgresCreates is not null && db.Database.CurrentTransaction is null;

    /// <summary>
    /// The rows of a create, added to the request's context (the SQLite writer inserts <see cref="CreateRows"/> instead). A create into a
    /// feed adds its change-log entry here too, so the entry commits in whichever transaction holds the create.
    /// </summary>
    private static EntityEntry<Notification> StageCreate(NotificationsDbContext context, Notification notification, AppScope app, string? userId, DateTimeOffset now)
    {
        var entry = context.Notifications.Add(notification);
        entry.Property(StorageColumns.TenantId).CurrentValue = app.TenantId;
        entry.Property(StorageColumns.AppId).CurrentValue = app.AppId;
        if (userId is not null)
        {
            context.Links.Add(NewLink(app, userId, notification.Id, now.UtcTicks, notification.ExpirationDateTime!.Value));
            context.AppendChange(app, userId, notification.Id, notification.TargetHostName, FeedChangeType.Created, null, now);
        }

        return entry;
    }

    /// <summary>The rows of a create for the writers' own inserts: the same rows <see cref="StageCreate"/> adds.</summary>
    private static GroupCommit.StagedCreate CreateRows(Notification notification, AppScope app, string? userId, DateTimeOffset now) =>
        new(notification, app,
            userId is null ? null : NewLink(app, userId, notification.Id, now.UtcTicks, notification.ExpirationDateTime!.Value),
            userId is null ? null : ChangeLogAppends.NewEntry(app, userId, notification.Id, notification.TargetHostName, FeedChangeType.Created, null, now));

    /// <summary>
    /// Saves what the request's context tracks. On SQLite the save runs on the writer, between groups of creates, so
    /// the request awaits its turn instead of blocking a thread in SQLite's busy handler.
    /// </summary>
    private Task SaveAsync(CancellationToken cancellationToken) =>
        GroupsWrites ? writeGroups!.WriteAloneAsync(() => db.SaveChanges()) : db.SaveChangesAsync(cancellationToken);

    /// <summary>
    /// Saves a link or an unlink the request's context tracks together with the change-log entry
    /// <paramref name="append"/> adds. On SQLite's writer the one save is one transaction and the writer is the only
    /// one, so entries commit in order; elsewhere <see cref="ChangeLogCommit"/> orders them, under the notification's lock.
    /// </summary>
    private Task SaveWithChangeAsync(string notificationId, Action append, CancellationToken cancellationToken)
    {
        if (GroupsWrites)
        {
            append();
            return SaveAsync(cancellationToken);
        }

        return ChangeLogCommit.SaveAsync(db, [notificationId], _ =>
        {
            append();
            return Task.CompletedTask;
        }, cancellationToken);
    }
}
