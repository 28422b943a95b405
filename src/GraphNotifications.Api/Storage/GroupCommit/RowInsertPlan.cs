using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace GraphNotifications.Api.Storage.GroupCommit;

/// <summary>
/// The columns of one entity's row (its owned types' columns included) and how to take each value from an entity,
/// read from the EF Core model: the same table, column names and value conversions as a <c>SaveChanges</c> writes,
/// so the writers' own inserts need not repeat the change tracking and command building a save does for every row.
/// Columns the database fills (an identity, a default such as the change log's transaction id) are left out.
/// </summary>
internal sealed class RowInsertPlan
{
    private readonly Func<object, Func<string, object?>, object?>[] _values;

    private RowInsertPlan(string table, IReadOnlyList<IColumn> columns, Func<object, Func<string, object?>, object?>[] values) =>
        (Table, Columns, _values) = (table, columns, values);

    public string Table { get; }

    public IReadOnlyList<IColumn> Columns { get; }

    public static RowInsertPlan For(IEntityType entityType)
    {
        var table = entityType.GetTableMappings().First().Table;
        var columns = new List<(IColumn Column, Func<object, Func<string, object?>, object?> Value)>();
        Collect(entityType, table, entity => entity, columns);
        return new RowInsertPlan(table.Name, [.. columns.Select(c => c.Column)], [.. columns.Select(c => c.Value)]);
    }

    /// <summary>The statement, its parameters named by <paramref name="parameter"/> from their 0-based position.</summary>
    public string Sql(Func<int, string> parameter) =>
        $"INSERT INTO \"{Table}\" ({string.Join(", ", Columns.Select(c => $"\"{c.Name}\""))}) "
        + $"VALUES ({string.Join(", ", Columns.Select((_, i) => parameter(i)))})";

    /// <summary>Column <paramref name="index"/>'s value in <paramref name="entity"/>'s row, as the provider stores it.</summary>
    /// <param name="shadow">The shadow properties' values by name (the owner's tenant and app).</param>
    public object Value(int index, object entity, Func<string, object?> shadow) => _values[index](entity, shadow) ?? DBNull.Value;

    private static void Collect(IEntityType type, ITable table, Func<object, object?> instance,
        List<(IColumn Column, Func<object, Func<string, object?>, object?> Value)> columns)
    {
        foreach (var mapping in type.GetTableMappings().Where(m => m.Table == table).SelectMany(m => m.ColumnMappings))
        {
            var property = mapping.Property;
            // Owned types share the owner's key column, set by the owner; identities and defaults are the database's.
            if (columns.Any(c => c.Column.Name == mapping.Column.Name)
                || (property.IsPrimaryKey() && property.ValueGenerated == ValueGenerated.OnAdd && property.ClrType == typeof(long))
                || property.GetDefaultValueSql() is not null)
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

            columns.Add((mapping.Column, converter is null ? value : (entity, shadow) => value(entity, shadow) is { } clr ? converter.ConvertToProvider(clr) : null));
        }

        foreach (var navigation in type.GetNavigations().Where(n => n.ForeignKey.IsOwnership && n.TargetEntityType.IsOwned()))
        {
            var getter = navigation.GetGetter();
            Collect(navigation.TargetEntityType, table, entity => instance(entity) is { } owner ? getter.GetClrValue(owner) : null, columns);
        }
    }
}
