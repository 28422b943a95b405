using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage.ChangeLog;

namespace GraphNotifications.Api.Storage.GroupCommit;

/// <summary>The rows of one create: the notification, and when it goes into a user's feed, its link and change-log entry.</summary>
internal sealed record StagedCreate(Notification Notification, AppScope App, UserNotificationLink? Link, ChangeLogEntry? Change)
{
    /// <summary>The shadow properties' values of the create's rows: the owner's tenant and app.</summary>
    public object? Shadow(string name) => name switch
    {
        StorageColumns.TenantId => App.TenantId,
        StorageColumns.AppId => App.AppId,
        _ => null,
    };
}
