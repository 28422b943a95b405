using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage.ChangeLog;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Storage.GroupCommit;

/// <summary>
/// The writer's creates as prepared inserts on its own connection, each under its own savepoint: one that fails is
/// undone alone and the group's transaction goes on, as a <c>SaveChanges</c> inside a transaction does. A create is
/// the hot path of a notification service; EF Core's change tracking and command building cost the one writer more
/// than the inserts themselves.
/// </summary>
internal sealed class SqliteCreateInserts : IDisposable
{
    private readonly SqliteRowInsert _notification;
    private readonly SqliteRowInsert _link;
    private readonly SqliteRowInsert _change;
    private readonly SqliteCommand _savepoint;
    private readonly SqliteCommand _release;
    private readonly SqliteCommand _rollback;

    public SqliteCreateInserts(NotificationsDbContext db, SqliteConnection connection)
    {
        // Preparing is lazy (on first execution), so a group without creates costs no statements.
        _notification = SqliteRowInsert.Prepare(db.Model.FindEntityType(typeof(Notification))!, connection);
        _link = SqliteRowInsert.Prepare(db.Model.FindEntityType(typeof(UserNotificationLink))!, connection);
        _change = SqliteRowInsert.Prepare(db.Model.FindEntityType(typeof(ChangeLogEntry))!, connection);
        (_savepoint, _release, _rollback) = (Command(connection, "SAVEPOINT create_row"), Command(connection, "RELEASE create_row"),
            Command(connection, "ROLLBACK TO create_row"));
    }

    /// <summary>Inserts the create's rows inside <paramref name="transaction"/>; on failure none of them stays.</summary>
    public void Insert(SqliteTransaction transaction, StagedCreate create)
    {
        Run(_savepoint, transaction);
        try
        {
            Func<string, object?> scope = create.Shadow;
            _notification.Insert(transaction, create.Notification, scope);
            if (create.Link is not null)
            {
                _link.Insert(transaction, create.Link, scope);
            }

            if (create.Change is not null)
            {
                _change.Insert(transaction, create.Change, scope);
            }

            Run(_release, transaction);
        }
        catch (SqliteException ex)
        {
            // When SQLite ended the whole transaction itself there is no savepoint left to go back to.
            if (transaction.Connection?.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0)
            {
                Run(_rollback, transaction);
                Run(_release, transaction);
            }

            // What a failed SaveChanges throws, so callers and error handling see the same exception either way.
            throw new DbUpdateException("An error occurred while saving the notification's rows.", ex);
        }
    }

    public void Dispose()
    {
        foreach (var disposable in new IDisposable[] { _notification, _link, _change, _savepoint, _release, _rollback })
        {
            disposable.Dispose();
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string text)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        return command;
    }

    private static void Run(SqliteCommand command, SqliteTransaction transaction)
    {
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
