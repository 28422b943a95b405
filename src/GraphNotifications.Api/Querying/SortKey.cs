using System.Linq.Expressions;
using System.Reflection;
using Microsoft.AspNetCore.OData.Edm;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.ModelBuilder;
using Microsoft.OData.UriParser;

namespace GraphNotifications.Api.Querying;

/// <summary>
/// One term of an ordering: a path of CLR properties from the item (<c>payload/visualContent/title</c> is three)
/// and its direction. Nulls sort first ascending and last descending, as OData 4.01 says, on every store.
/// </summary>
public sealed record SortKey(IReadOnlyList<PropertyInfo> Path, bool Descending)
{
    public Type Type => Path[^1].PropertyType;

    public bool IsNullable => !Type.IsValueType || Nullable.GetUnderlyingType(Type) is not null;

    /// <summary>The key of an item, for the store's query (plain member access: SQL propagates nulls itself).</summary>
    public Expression Access(Expression item) => Path.Aggregate(item, Expression.Property);

    /// <summary>The key of an item read into memory; null where any step of the path is null.</summary>
    public object? ValueOf(object item)
    {
        object? value = item;
        foreach (var property in Path)
        {
            if (value is null)
            {
                return null;
            }

            value = property.GetValue(value);
        }

        return value;
    }

    public static SortKey Of<T>(string propertyName, bool descending) =>
        new([typeof(T).GetProperty(propertyName) ?? throw new ArgumentException(propertyName)], descending);

    /// <summary>The terms of a <c>$orderby</c>: structural properties of the item or of its complex values.</summary>
    public static List<SortKey> FromOrderBy(OrderByClause? clause, IEdmModel model, Type itemType)
    {
        var keys = new List<SortKey>();
        for (var term = clause; term is not null; term = term.ThenBy)
        {
            var path = new List<PropertyInfo>();
            Collect(term.Expression, model, path);
            if (path.Count == 0 || path[0].DeclaringType is not { } declaring || !declaring.IsAssignableFrom(itemType))
            {
                throw new ODataException("$orderby accepts properties of the item and paths into its complex properties.");
            }

            keys.Add(new SortKey(path, term.Direction == OrderByDirection.Descending));
        }

        return keys;
    }

    private static void Collect(QueryNode node, IEdmModel model, List<PropertyInfo> path)
    {
        switch (node)
        {
            case ResourceRangeVariableReferenceNode:
                return;
            case SingleValuePropertyAccessNode property:
                Collect(property.Source, model, path);
                path.Add(ClrProperty(property.Property, model));
                return;
            case SingleComplexNode complex:
                Collect(complex.Source, model, path);
                path.Add(ClrProperty(complex.Property, model));
                return;
            case ConvertNode convert:
                Collect(convert.Source, model, path);
                return;
            case SingleValueOpenPropertyAccessNode open:
                throw new ODataException($"$orderby cannot sort by the dynamic property '{open.Name}'; sort by a declared property.");
            default:
                throw new ODataException("$orderby accepts properties of the item and paths into its complex properties, not expressions.");
        }
    }

    private static PropertyInfo ClrProperty(IEdmProperty property, IEdmModel model)
    {
        var declaring = model.GetAnnotationValue<ClrTypeAnnotation>(property.DeclaringType)?.ClrType;
        return declaring?.GetProperty(model.GetClrPropertyName(property))
            ?? throw new ODataException($"The property '{property.Name}' cannot be sorted by.");
    }
}
