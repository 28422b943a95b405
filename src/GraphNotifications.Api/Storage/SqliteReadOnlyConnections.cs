using GraphNotifications.Api.Errors;
using Microsoft.Data.Sqlite;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// SQLite opens a file it may not write read-only, without saying so, and the connection stays read-only for its
/// life. Pooled, such a connection would refuse every write it served after the file became writable again; so when
/// a write is refused as read-only, the pool is emptied and the next connections open the file afresh.
/// </summary>
internal static class SqliteReadOnlyConnections
{
    public static void ForgetAfter(Exception refusal)
    {
        if (StoreUnavailability.IsSqliteReadOnly(refusal))
        {
            SqliteConnection.ClearAllPools();
        }
    }
}
