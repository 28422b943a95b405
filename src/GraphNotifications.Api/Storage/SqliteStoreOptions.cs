namespace GraphNotifications.Api.Storage;

/// <summary>The <c>Storage:Sqlite</c> configuration section. Read again at every connection open: a change applies at once.</summary>
public sealed class SqliteStoreOptions
{
    public const string Section = "Storage:Sqlite";

    /// <summary>SQLite's own ceiling (SQLITE_MAX_PAGE_COUNT): no cap.</summary>
    public const long Unlimited = 4_294_967_294;

    /// <summary>
    /// The most pages (of 4 KiB) the store's file may hold (<c>PRAGMA max_page_count</c>): a quota below the disk's
    /// size, so that the store fills before the disk does. A write past it fails as on a full disk (SQLITE_FULL, a
    /// 503) and changes nothing; raising it, or deleting notifications, lets writes succeed again.
    /// </summary>
    public long? MaxPageCount { get; set; }

    /// <summary>
    /// How often <see cref="SqliteWalCheckpointer"/> folds the write-ahead log into the database file, off the writer.
    /// Longer lets the log grow further between checkpoints (about 4 KiB per page written meanwhile).
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MinimumStatisticsInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaximumStatisticsInterval = TimeSpan.FromDays(1);

    /// <summary>
    /// How often <see cref="SqliteStatistics"/> runs <c>PRAGMA optimize</c>, which analyzes a table only when it lacks
    /// statistics or has grown or shrunk tenfold since, and otherwise reads each table's size. Shorter lets the
    /// planner learn sooner that a store which started empty has filled.
    /// </summary>
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromHours(1);
}
