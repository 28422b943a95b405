using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// Applies the migrations with one instance at a time on PostgreSQL. EF Core's own lock there is a table lock that
/// ends with each migration's transaction: two instances starting together on a new database, with more than one
/// migration to apply, each plan the same list, and the second then applies a migration the first has just applied
/// ("relation already exists"). A session-level advisory lock holds from the first migration to the last.
/// </summary>
internal static class MigrationLock
{
    // Any constant shared by every instance of the service; advisory locks are per database.
    private const long Key = 0x4752_4150_484E_4F54;

    public static async Task MigrateAsync(DatabaseFacade database)
    {
        if (!database.IsNpgsql())
        {
            await database.MigrateAsync();
            return;
        }

        await database.OpenConnectionAsync();
        try
        {
            await database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({Key})");
            try
            {
                await database.MigrateAsync();
            }
            finally
            {
                await database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({Key})");
            }
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }
}
