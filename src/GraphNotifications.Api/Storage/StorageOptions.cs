namespace GraphNotifications.Api.Storage;

public enum StorageProvider
{
    /// <summary>A durable file on one machine: one instance of the service.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: any number of instances of the service on one database form one service.</summary>
    Postgres,

    /// <summary>EF Core's in-memory store, for demos and tests: nothing survives the process.</summary>
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
