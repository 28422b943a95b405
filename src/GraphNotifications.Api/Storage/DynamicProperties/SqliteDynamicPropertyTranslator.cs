using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace GraphNotifications.Api.Storage.DynamicProperties;

/// <summary>
/// <see cref="DynamicPropertyValues"/> in SQLite's JSON functions. <c>json_extract</c> gives a JSON string as TEXT, a
/// number as INTEGER or REAL, true and false as 1 and 0; <c>json_type</c> tells them apart ('text', 'integer', 'real',
/// 'true', 'false', 'null', or NULL when the path is absent).
/// </summary>
internal sealed class SqliteDynamicPropertyTranslator(ISqlExpressionFactory sql, IRelationalTypeMappingSource types) : IMethodCallTranslator
{
    private readonly RelationalTypeMapping _text = types.FindMapping(typeof(string))!;
    private readonly RelationalTypeMapping _real = types.FindMapping(typeof(double))!;
    private readonly RelationalTypeMapping _boolean = types.FindMapping(typeof(bool))!;

    // Every function here is nullable whatever its arguments (an absent key is NULL), which EF Core's null semantics
    // must know: with an argument marked as propagating nullability, it takes the function as never null on a NOT NULL column.
    public SqlExpression? Translate(SqlExpression? instance, MethodInfo method, IReadOnlyList<SqlExpression> arguments, IDiagnosticsLogger<DbLoggerCategory.Query> logger)
    {
        if (method.DeclaringType != typeof(DynamicPropertyValues)
            || arguments is not [var properties, SqlConstantExpression { Value: string name }]
            || !DynamicPropertyValues.IsStorableName(name))
        {
            // A name that is not a constant, or not one a notification can hold, is never put in a path: the query
            // stays untranslated (and is refused), whatever the caller wrote.
            return null;
        }

        // '$.name' exactly as the index on appNotificationId spells it: SQLite matches index expressions as written.
        var path = sql.Constant("$." + name, _text);
        SqlExpression Type() => sql.Function("json_type", [properties, path], nullable: true, argumentsPropagateNullability: [false, false], typeof(string), _text);
        SqlExpression Extract(Type type, RelationalTypeMapping mapping) =>
            sql.Function("json_extract", [properties, path], nullable: true, argumentsPropagateNullability: [false, false], type, mapping);
        SqlExpression Text(string value) => sql.Constant(value, _text);

        return method.Name switch
        {
            nameof(DynamicPropertyValues.IsString) => sql.Equal(Type(), Text("text")),
            nameof(DynamicPropertyValues.IsNumber) => sql.In(Type(), [Text("integer"), Text("real")]),
            nameof(DynamicPropertyValues.IsBoolean) => sql.In(Type(), [Text("true"), Text("false")]),
            nameof(DynamicPropertyValues.IsNull) => sql.Equal(sql.Coalesce(Type(), Text("null")), Text("null")),
            nameof(DynamicPropertyValues.String) => Extract(typeof(string), _text),
            // Integers compare as doubles here too, as on the other stores.
            nameof(DynamicPropertyValues.Number) => sql.Convert(Extract(typeof(double), _real), typeof(double), _real),
            nameof(DynamicPropertyValues.Boolean) => Extract(typeof(bool), _boolean),
            _ => null,
        };
    }
}
