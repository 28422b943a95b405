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
        // Most starts find every migration applied. Migrate would still build the design-time model, to look for
        // model changes that lack a migration: a fifth of a second of every start. One read of the history says the
        // same. Without the lock on PostgreSQL: if anything is missing, Migrate reads the history again under it.
        if (await IsCurrentAsync(database))
        {
            return;
        }

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

    /// <summary>Whether the history holds every migration of the assembly (a database that does not exist holds none).</summary>
    internal static async Task<bool> IsCurrentAsync(DatabaseFacade database)
    {
        var applied = (await database.GetAppliedMigrationsAsync()).ToHashSet(StringComparer.Ordinal);
        return database.GetMigrations().All(applied.Contains);
    }
}
