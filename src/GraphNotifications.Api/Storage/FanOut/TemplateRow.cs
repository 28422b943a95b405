using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace GraphNotifications.Api.Storage.FanOut;

/// <summary>
/// The columns of one entity's row and their values as a <c>SaveChanges</c> would write them (the EF Core model's
/// table, column names and value conversions), for a set-based insert that writes the same row once per recipient:
/// every column but the user's is the template's value. Read from the model, so a column added later is written
/// here too.
/// </summary>
internal sealed class TemplateRow
{
    private TemplateRow(string table, IReadOnlyList<(string Column, string StoreType, object? Value)> columns) => (Table, Columns) = (table, columns);

    public string Table { get; }

    /// <summary>Each column with its type in the database (PostgreSQL types a parameter by it) and the template's value.</summary>
    public IReadOnlyList<(string Column, string StoreType, object? Value)> Columns { get; }

    /// <summary>
    /// <paramref name="entity"/>'s row; <paramref name="shadow"/> gives its shadow properties' values by name. Columns
    /// the database fills (an identity, a default such as PostgreSQL's transaction id) are left to it.
    /// </summary>
    public static TemplateRow Of(NotificationsDbContext db, object entity, Func<string, object?>? shadow = null)
    {
        var type = db.Model.FindEntityType(entity.GetType())!;
        var table = type.GetTableMappings().First().Table;
        var columns = new List<(string, string, object?)>();
        foreach (var mapping in type.GetTableMappings().First().ColumnMappings)
        {
            var property = mapping.Property;
            if (property.ValueGenerated == ValueGenerated.OnAdd && (property.IsPrimaryKey() || property.GetDefaultValueSql() is not null))
            {
                continue;
            }

            object? value = property.IsShadowProperty() ? shadow?.Invoke(property.Name) : property.GetGetter().GetClrValue(entity);
            if (value is not null && mapping.TypeMapping.Converter is { } converter)
            {
                value = converter.ConvertToProvider(value);
            }

            if (value is Enum && mapping.TypeMapping.Converter is null)
            {
                value = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            }

            columns.Add((mapping.Column.Name, mapping.Column.StoreType, value));
        }

        return new TemplateRow(table.Name, columns);
    }
}
