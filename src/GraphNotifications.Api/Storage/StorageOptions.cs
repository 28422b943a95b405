namespace GraphNotifications.Api.Storage;

public enum StorageProvider
{
    Sqlite,
    InMemory,
}

/// <summary>The <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Used when <c>ConnectionStrings:Notifications</c> is not set.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=./data/notifications.db";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;
}
