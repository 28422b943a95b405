using GraphNotifications.Api.Errors;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GraphNotifications.Api.Storage;

/// <summary>Tells <see cref="StoreWriteStatus"/> how each commit went.</summary>
internal sealed class StoreWriteWatch(StoreWriteStatus status) : SaveChangesInterceptor
{
    // A save that wrote no row proves nothing about the store: a background worker's empty save on a full disk must
    // not mark the store writable while the writes that matter still fail.
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (result > 0)
        {
            status.RecordSuccess();
        }

        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (result > 0)
        {
            status.RecordSuccess();
        }

        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Record(eventData.Exception);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Record(eventData.Exception);
        return Task.CompletedTask;
    }

    private void Record(Exception exception)
    {
        if (StoreUnavailability.IsUnavailable(exception))
        {
            status.RecordFailure(exception);
        }
    }
}
