using Microsoft.Data.Sqlite;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// SQLite opens a file it may not write read-only, without saying so, and the connection stays read-only for its
/// life. Pooled, such a connection would refuse every write it served after the file became writable again; so when
/// a write is refused as read-only, the pool is emptied and the next connections open the file afresh.
/// </summary>
internal static class SqliteReadOnlyConnections
{
    // SQLite's primary result code SQLITE_READONLY (the low byte of an extended code): https://sqlite.org/rescode.html
    private const int SqliteReadOnly = 8;

    public static void ForgetAfter(Exception refusal)
    {
        for (Exception? current = refusal; current is not null; current = current.InnerException)
        {
            if (current is SqliteException { SqliteExtendedErrorCode: var code } && (code & 0xFF) == SqliteReadOnly)
            {
                SqliteConnection.ClearAllPools();
                return;
            }
        }
    }
}
