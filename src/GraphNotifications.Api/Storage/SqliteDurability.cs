using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GraphNotifications.Api.Storage;

/// <summary>
/// Every SQLite connection syncs each commit to disk (<c>synchronous=FULL</c>): a 201 or 204 means the change
/// survives a crash of the process and of the machine. WAL (set once, it persists in the file) lets readers run
/// beside the writer.
/// </summary>
internal sealed class SqliteDurability : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
