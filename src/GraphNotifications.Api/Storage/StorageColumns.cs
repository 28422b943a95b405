namespace GraphNotifications.Api.Storage;

/// <summary>Columns the store keeps about a notification that neither the contract nor the CLR type shows (EF Core shadow properties).</summary>
public static class StorageColumns
{
    /// <summary>The app that created the notification: its owner, the only app that may see it.</summary>
    public const string AppId = nameof(AppId);
}
