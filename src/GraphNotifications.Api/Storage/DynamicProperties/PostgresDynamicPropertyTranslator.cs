using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace GraphNotifications.Api.Storage.DynamicProperties;

/// <summary>
/// <see cref="DynamicPropertyValues"/> in PostgreSQL's <c>jsonb</c> functions: <c>jsonb_extract_path</c> (the
/// <c>-&gt;</c> operator), <c>jsonb_extract_path_text</c> (<c>-&gt;&gt;</c>) and <c>jsonb_typeof</c> ('string',
/// 'number', 'boolean', 'null', or NULL when the key is absent). A cast of jsonb to a number or a Boolean fails on a
/// value of another type, and SQL does not promise to test a guard before it, so the casts sit inside CASE.
/// </summary>
internal sealed class PostgresDynamicPropertyTranslator(ISqlExpressionFactory sql, IRelationalTypeMappingSource types) : IMethodCallTranslator
{
    private readonly RelationalTypeMapping _text = types.FindMapping(typeof(string))!;
    private readonly RelationalTypeMapping _jsonb = types.FindMapping(typeof(string), "jsonb")!;
    private readonly RelationalTypeMapping _double = types.FindMapping(typeof(double))!;
    private readonly RelationalTypeMapping _boolean = types.FindMapping(typeof(bool))!;

    // Every function here is nullable whatever its arguments (an absent key is NULL), which EF Core's null semantics
    // must know: with an argument marked as propagating nullability, it takes the function as never null on a NOT NULL column.
    public SqlExpression? Translate(SqlExpression? instance, MethodInfo method, IReadOnlyList<SqlExpression> arguments, IDiagnosticsLogger<DbLoggerCategory.Query> logger)
    {
        if (method.DeclaringType != typeof(DynamicPropertyValues)
            || arguments is not [var properties, SqlConstantExpression { Value: string name }]
            || !DynamicPropertyValues.IsStorableName(name))
        {
            return null;
        }

        var key = sql.Constant(name, _text);
        SqlExpression Element() => sql.Function("jsonb_extract_path", [properties, key], nullable: true, argumentsPropagateNullability: [false, false], typeof(string), _jsonb);
        SqlExpression Type() => sql.Function("jsonb_typeof", [Element()], nullable: true, argumentsPropagateNullability: [false], typeof(string), _text);
        SqlExpression Text(string value) => sql.Constant(value, _text);
        SqlExpression When(string type, Type clrType, RelationalTypeMapping mapping) => sql.Case(
            [new CaseWhenClause(sql.Equal(Type(), Text(type)), sql.Convert(Element(), clrType, mapping))],
            elseResult: null);

        return method.Name switch
        {
            nameof(DynamicPropertyValues.IsString) => sql.Equal(Type(), Text("string")),
            nameof(DynamicPropertyValues.IsNumber) => sql.Equal(Type(), Text("number")),
            nameof(DynamicPropertyValues.IsBoolean) => sql.Equal(Type(), Text("boolean")),
            nameof(DynamicPropertyValues.IsNull) => sql.Equal(sql.Coalesce(Type(), Text("null")), Text("null")),
            // The expression the appNotificationId index holds (see the AppNotificationIdIndex migration).
            nameof(DynamicPropertyValues.String) => sql.Function(
                "jsonb_extract_path_text", [properties, key], nullable: true, argumentsPropagateNullability: [false, false], typeof(string), _text),
            nameof(DynamicPropertyValues.Number) => When("number", typeof(double), _double),
            nameof(DynamicPropertyValues.Boolean) => When("boolean", typeof(bool), _boolean),
            _ => null,
        };
    }
}
