using System.Data.Common;
using System.Text;
using System.Text.Json;
using GraphNotifications.Api.Storage.ChangeLog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GraphNotifications.Api.Storage.FanOut;

/// <summary>
/// A fan-out's rows written set-based: one <c>INSERT … SELECT</c> of the change-log entries and one of the links (or
/// one of the entries and one <c>DELETE</c>), each over the whole list of users, which the statement reads from one
/// parameter: a JSON array through SQLite's <c>json_each</c>, a <c>text[]</c> through PostgreSQL's <c>unnest</c>.
/// Four statements, whatever the number of users, where EF Core would track and send two rows per user. The rows
/// are the ones <see cref="NotificationStore"/> writes for a <c>$ref</c> link or unlink (<see cref="TemplateRow"/>),
/// and only users whose link is new (or was there) get an entry. Runs inside the caller's transaction, under the
/// notification's lock where the store takes one.
/// </summary>
internal sealed class RecipientLinks
{
    private readonly NotificationsDbContext _db;
    private readonly bool _postgres;
    private readonly DbCommand _command;
    private readonly string _users;

    private RecipientLinks(NotificationsDbContext db, IReadOnlyList<string> userIds)
    {
        _db = db;
        _postgres = db.Database.IsNpgsql();
        _command = db.Database.GetDbConnection().CreateCommand();
        _command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        // The users, as one parameter; each statement reads them as a one-column table of "value".
        _users = _postgres ? "unnest(@users) AS u(value)" : "json_each(@users) AS u";
        Add("@users", _postgres ? userIds.ToArray() : JsonSerializer.Serialize(userIds));
    }

    public static RecipientLinks For(NotificationsDbContext db, IReadOnlyList<string> userIds) => new(db, userIds);

    /// <summary>
    /// Links every user that is not linked yet (<paramref name="link"/>'s row with their id), and logs each new link
    /// (<paramref name="entry"/>'s row with their id); returns how many links it made.
    /// </summary>
    public int Add(UserNotificationLink link, ChangeLogEntry entry) => Run(AddStatements(link, entry), (c, _) => c.ExecuteNonQuery(), CancellationToken.None);

    /// <inheritdoc cref="Add"/>
    public Task<int> AddAsync(UserNotificationLink link, ChangeLogEntry entry, CancellationToken cancellationToken) =>
        RunAsync(AddStatements(link, entry), cancellationToken);

    /// <summary>Removes the links of the users that have one, and logs each removal (<paramref name="entry"/>'s row with their id); returns how many.</summary>
    public int Remove(AppScope app, string notificationId, ChangeLogEntry entry) =>
        Run(RemoveStatements(app, notificationId, entry), (c, _) => c.ExecuteNonQuery(), CancellationToken.None);

    /// <inheritdoc cref="Remove"/>
    public Task<int> RemoveAsync(AppScope app, string notificationId, ChangeLogEntry entry, CancellationToken cancellationToken) =>
        RunAsync(RemoveStatements(app, notificationId, entry), cancellationToken);

    private string[] AddStatements(UserNotificationLink link, ChangeLogEntry entry)
    {
        var links = TemplateRow.Of(_db, link);
        string linked = $"""SELECT 1 FROM "{links.Table}" AS l WHERE l."TenantId" = @tenant AND l."UserId" = u.value AND l."NotificationId" = @notification""";
        Add("@tenant", link.TenantId);
        Add("@notification", link.NotificationId);
        // The entries first: which links are new is read before they are made.
        return
        [
            Insert(TemplateRow.Of(_db, entry), "e", "u.value", $"FROM {_users} WHERE NOT EXISTS ({linked})"),
            Insert(links, "l", "u.value", $"FROM {_users} WHERE NOT EXISTS ({linked})"),
        ];
    }

    private string[] RemoveStatements(AppScope app, string notificationId, ChangeLogEntry entry)
    {
        Add("@tenant", app.TenantId);
        Add("@app", app.AppId);
        Add("@notification", notificationId);
        string table = _db.Model.FindEntityType(typeof(UserNotificationLink))!.GetTableName()!;
        string users = _postgres ? "= ANY(@users)" : "IN (SELECT value FROM json_each(@users))";
        string where = $"""WHERE l."TenantId" = @tenant AND l."NotificationId" = @notification AND l."AppId" = @app AND l."UserId" {users}""";
        return
        [
            Insert(TemplateRow.Of(_db, entry), "e", "l.\"UserId\"", $"""FROM "{table}" AS l {where}"""),
            $"""DELETE FROM "{table}" AS l {where}""",
        ];
    }

    /// <summary>An <c>INSERT … SELECT</c> of the template's row, the user's column taken from <paramref name="userColumn"/>.</summary>
    private string Insert(TemplateRow row, string prefix, string userColumn, string from)
    {
        var select = new StringBuilder();
        for (int i = 0; i < row.Columns.Count; i++)
        {
            var (column, storeType, value) = row.Columns[i];
            select.Append(i == 0 ? string.Empty : ", ");
            if (column == "UserId")
            {
                select.Append(userColumn);
            }
            else
            {
                string name = $"@{prefix}{i}";
                Add(name, value);
                // PostgreSQL types a parameter in a select list by its value alone (a null as text): the column's type says.
                select.Append(_postgres ? $"CAST({name} AS {storeType})" : name);
            }
        }

        return $"""INSERT INTO "{row.Table}" ({string.Join(", ", row.Columns.Select(c => $"\"{c.Column}\""))}) SELECT {select} {from}""";
    }

    private void Add(string name, object? value)
    {
        if (_command.Parameters.Contains(name))
        {
            return;
        }

        var parameter = _command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        _command.Parameters.Add(parameter);
    }

    /// <summary>Runs the statements in order on one command (its parameters shared); the last one's count is the answer.</summary>
    private int Run(string[] statements, Func<DbCommand, CancellationToken, int> execute, CancellationToken cancellationToken)
    {
        int count = 0;
        foreach (string statement in statements)
        {
            _command.CommandText = statement;
            count = execute(_command, cancellationToken);
        }

        _command.Dispose();
        return count;
    }

    private async Task<int> RunAsync(string[] statements, CancellationToken cancellationToken)
    {
        int count = 0;
        foreach (string statement in statements)
        {
            _command.CommandText = statement;
            count = await _command.ExecuteNonQueryAsync(cancellationToken);
        }

        await _command.DisposeAsync();
        return count;
    }
}
