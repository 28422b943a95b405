using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;

namespace GraphNotifications.Api.Storage.GroupCommit;

/// <summary>One prepared <c>INSERT</c> of an entity's row on SQLite (<see cref="RowInsertPlan"/>).</summary>
internal sealed class SqliteRowInsert : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly RowInsertPlan _plan;

    private SqliteRowInsert(SqliteCommand command, RowInsertPlan plan) => (_command, _plan) = (command, plan);

    /// <summary>The insert of <paramref name="entityType"/>'s row, prepared on <paramref name="connection"/>.</summary>
    public static SqliteRowInsert Prepare(IEntityType entityType, SqliteConnection connection)
    {
        var plan = RowInsertPlan.For(entityType);
        var command = connection.CreateCommand();
        command.CommandText = plan.Sql(i => $"$p{i}");
        for (int i = 0; i < plan.Columns.Count; i++)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}" });
        }

        return new SqliteRowInsert(command, plan);
    }

    /// <summary>Inserts <paramref name="entity"/>'s row; <paramref name="shadow"/> gives the shadow properties' values by name.</summary>
    public void Insert(SqliteTransaction transaction, object entity, Func<string, object?> shadow)
    {
        for (int i = 0; i < _plan.Columns.Count; i++)
        {
            _command.Parameters[i].Value = _plan.Value(i, entity, shadow);
        }

        _command.Transaction = transaction;
        _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();
}
