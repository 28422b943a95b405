namespace GraphNotifications.Api.Storage;

/// <summary>Columns the store keeps about a notification that the contract does not show (EF Core shadow properties).</summary>
public static class StorageColumns
{
    /// <summary>The app that created the notification: its owner, the only app that may see it.</summary>
    public const string AppId = nameof(AppId);

    /// <summary>When the notification was created, as UTC ticks: the feed's newest-first order.</summary>
    public const string CreatedAt = nameof(CreatedAt);
}
