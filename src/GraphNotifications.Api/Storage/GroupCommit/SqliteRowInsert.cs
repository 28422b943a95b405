using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace GraphNotifications.Api.Storage.GroupCommit;

/// <summary>
/// One prepared <c>INSERT</c> of an entity's row (its owned types' columns included), its columns and their values
/// taken from the EF Core model: the same table, column names and value conversions as a <c>SaveChanges</c> writes,
/// without the change tracking and command building a save repeats for every row.
/// </summary>
internal sealed class SqliteRowInsert : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly Func<object, Func<string, object?>, object?>[] _values;

    private SqliteRowInsert(SqliteCommand command, Func<object, Func<string, object?>, object?>[] values) => (_command, _values) = (command, values);

    /// <summary>The insert of <paramref name="entityType"/>'s row, prepared on <paramref name="connection"/>.</summary>
    public static SqliteRowInsert Prepare(IEntityType entityType, SqliteConnection connection)
    {
        var table = entityType.GetTableMappings().First().Table;
        var columns = new List<(string Name, Func<object, Func<string, object?>, object?> Value)>();
        Collect(entityType, table, entity => entity, columns);

        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) "
            + $"VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        for (int i = 0; i < columns.Count; i++)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}" });
        }

        return new SqliteRowInsert(command, [.. columns.Select(c => c.Value)]);
    }

    /// <summary>Inserts <paramref name="entity"/>'s row; <paramref name="shadow"/> gives the shadow properties' values by name.</summary>
    public void Insert(SqliteTransaction transaction, object entity, Func<string, object?> shadow)
    {
        for (int i = 0; i < _values.Length; i++)
        {
            _command.Parameters[i].Value = _values[i](entity, shadow) ?? DBNull.Value;
        }

        _command.Transaction = transaction;
        _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();

    private static void Collect(IEntityType type, ITable table, Func<object, object?> instance,
        List<(string Name, Func<object, Func<string, object?>, object?> Value)> columns)
    {
        foreach (var mapping in type.GetTableMappings().Where(m => m.Table == table).SelectMany(m => m.ColumnMappings))
        {
            var property = mapping.Property;
            // Owned types share the owner's key column, set by the owner; an identity is the database's to assign.
            if (columns.Any(c => c.Name == mapping.Column.Name) || (property.IsPrimaryKey() && property.ValueGenerated == ValueGenerated.OnAdd && property.ClrType == typeof(long)))
            {
                continue;
            }

            var converter = mapping.TypeMapping.Converter;
            Func<object, Func<string, object?>, object?> value;
            if (property.IsShadowProperty())
            {
                string name = property.Name;
                value = (_, shadow) => shadow(name);
            }
            else
            {
                var getter = property.GetGetter();
                value = (entity, _) => instance(entity) is { } owner ? getter.GetClrValue(owner) : null;
            }

            columns.Add((mapping.Column.Name, converter is null ? value : (entity, shadow) => value(entity, shadow) is { } clr ? converter.ConvertToProvider(clr) : null));
        }

        foreach (var navigation in type.GetNavigations().Where(n => n.ForeignKey.IsOwnership && n.TargetEntityType.IsOwned()))
        {
            var getter = navigation.GetGetter();
            Collect(navigation.TargetEntityType, table, entity => instance(entity) is { } owner ? getter.GetClrValue(owner) : null, columns);
        }
    }
}
