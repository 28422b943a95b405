using System.Runtime.CompilerServices;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GraphNotifications.Api.Telemetry;

/// <summary>
/// Counts what a save stores (notifications created, links created and removed) once the save has succeeded, so the
/// store's code stays free of metrics and a failed save counts nothing.
/// </summary>
public sealed class StoreMetricsInterceptor(GraphMetrics metrics) : SaveChangesInterceptor
{
    // What a context is about to save, between SavingChanges and SavedChanges (a context saves one at a time).
    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Count(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Count(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Record(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Count(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var pending = new Pending();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            switch (entry.Entity, entry.State)
            {
                case (Notification, EntityState.Added):
                    pending.Notifications++;
                    break;
                case (Notification, EntityState.Deleted):
                    pending.NotificationsDeleted++;
                    break;
                case (UserNotificationLink, EntityState.Added):
                    pending.LinksCreated++;
                    break;
                case (UserNotificationLink, EntityState.Deleted):
                    pending.LinksRemoved++;
                    break;
            }
        }

        _pending.AddOrUpdate(context, pending);
    }

    private void Record(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var pending))
        {
            _pending.Remove(context);
            metrics.NotificationsCreated(pending.Notifications);
            metrics.LinksCreated(pending.LinksCreated);
            // Links deleted with their notification (the in-memory store deletes them one by one; a database by its
            // foreign key) are not dismissals.
            if (pending.NotificationsDeleted == 0)
            {
                metrics.LinksRemoved(pending.LinksRemoved);
            }
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _pending.Remove(context);
        }
    }

    private sealed class Pending
    {
        public int Notifications { get; set; }

        public int LinksCreated { get; set; }

        public int LinksRemoved { get; set; }

        public int NotificationsDeleted { get; set; }
    }
}
