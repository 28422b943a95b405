using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// Every SQLite connection syncs each commit to disk (<c>synchronous=FULL</c>): a 201 or 204 means the change
/// survives a crash of the process and of the machine. WAL (set once, it persists in the file) lets readers run
/// beside the writer; <see cref="SqliteWalCheckpointer"/> takes most of the log's checkpointing off the writer. The
/// store's size cap (<see cref="SqliteStoreOptions.MaxPageCount"/>) is applied at every open, pooled connections
/// included, so a changed setting applies to the next request.
/// </summary>
internal sealed class SqliteDurability(IOptionsMonitor<SqliteStoreOptions>? options = null) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas();
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas();
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private string Pragmas()
    {
        long maxPageCount = options?.CurrentValue.MaxPageCount ?? SqliteStoreOptions.Unlimited;
        return string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA max_page_count={maxPageCount};");
    }
}
