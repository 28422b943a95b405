using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.ChangeLog;

namespace GraphNotifications.Api.Streams;

/// <summary>One user's feed of one app in one tenant: what a stream follows, and what its limits count.</summary>
public readonly record struct FeedKey(string TenantId, string AppId, string UserId)
{
    public static FeedKey Of(ChangeLogEntry entry) => new(entry.TenantId, entry.AppId, entry.UserId);

    public AppScope App => new(TenantId, AppId);
}
