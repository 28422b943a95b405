using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage.ChangeLog;

namespace GraphNotifications.Api.Delta;

/// <summary>One item of a delta page: a notification as it is now, or the id of one that left the feed, and why.</summary>
internal sealed record DeltaItem(Notification? Current, string Id, RemovedReason? Removed)
{
    public static DeltaItem Present(Notification notification) => new(notification, notification.Id, null);

    public static DeltaItem Gone(string id, RemovedReason reason) => new(null, id, reason);
}

/// <summary>A page of a delta query: its items, the <c>$select</c> that shapes them, and the one link that follows.</summary>
internal sealed record DeltaPage(IReadOnlyList<DeltaItem> Items, string? Select, Uri? NextLink, Uri? DeltaLink);
