using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using GraphNotifications.Api.Storage.DynamicProperties;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.OData;
using Microsoft.OData.UriParser;

namespace GraphNotifications.Api.Querying;

/// <summary>
/// AspNetCoreOData's filter binder, with dynamic properties bound to <see cref="DynamicPropertyValues"/> calls that the
/// stores translate to their JSON functions. Its own binding reads the property from the open type's dictionary,
/// which no relational store can translate and which compares untyped values. A <see cref="DynamicPropertyTest"/>
/// becomes "the value has the literal's JSON type, and compares so": true or false, never null, so <c>not</c> and
/// <c>ne</c> mean what OData says (an absent property is null: <c>x ne 'a'</c> holds, <c>x eq null</c> holds).
/// </summary>
public sealed class DynamicPropertyFilterBinder : FilterBinder
{
    private static readonly System.Reflection.MethodInfo StringCompare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    public override Expression BindBinaryOperatorNode(BinaryOperatorNode binaryOperatorNode, QueryBinderContext context) =>
        Test(binaryOperatorNode, context) ?? base.BindBinaryOperatorNode(binaryOperatorNode, context);

    public override Expression BindSingleValueFunctionCallNode(SingleValueFunctionCallNode node, QueryBinderContext context) =>
        Test(node, context) ?? base.BindSingleValueFunctionCallNode(node, context);

    // Every use of a dynamic property the store can run is bound above; QueryOptionsCheck refuses the rest first.
    public override Expression BindDynamicPropertyAccessQueryNode(SingleValueOpenPropertyAccessNode openNode, QueryBinderContext context) =>
        throw new ODataException(DynamicPropertyFilters.Refusal(openNode));

    private Expression? Test(QueryNode node, QueryBinderContext context)
    {
        var test = DynamicPropertyTest.From(node, out string? refusal);
        if (refusal is not null)
        {
            throw new ODataException(refusal);
        }

        if (test is null)
        {
            return null;
        }

        var item = Bind(test.Property.Source, context);
        var properties = Expression.Property(item, nameof(Resources.Notification.DynamicProperties));
        string name = test.Property.Name;
        if (!DynamicPropertyValues.IsStorableName(name))
        {
            // No notification can hold it: absent everywhere, so null everywhere (and never put in a JSON path).
            return Expression.Constant(test.Operator == DynamicPropertyTest.Test.NotEqual ? test.Literal is not null : test.Literal is null && test.Operator == DynamicPropertyTest.Test.Equal);
        }

        if (test.Literal is null)
        {
            var isNull = Call(nameof(DynamicPropertyValues.IsNull), properties, name);
            return test.Operator == DynamicPropertyTest.Test.Equal ? isNull : Expression.Not(isNull);
        }

        var (guard, value, literal) = test.Literal switch
        {
            string s => (nameof(DynamicPropertyValues.IsString), Call(nameof(DynamicPropertyValues.String), properties, name), Parameter<string>(s)),
            bool b => (nameof(DynamicPropertyValues.IsBoolean), Call(nameof(DynamicPropertyValues.Boolean), properties, name), Parameter<bool?>(b)),
            var number => (nameof(DynamicPropertyValues.IsNumber), Call(nameof(DynamicPropertyValues.Number), properties, name),
                Parameter<double?>(Convert.ToDouble(number, CultureInfo.InvariantCulture))),
        };

        // The guard comes first: in memory it keeps a null from reaching string.Compare and the like.
        Expression Holds(Expression comparison) => Expression.AndAlso(Call(guard, properties, name), comparison);
        Expression Ordered(Func<Expression, Expression, Expression> compare) => value.Type == typeof(string)
            ? compare(Expression.Call(StringCompare, value, literal), Expression.Constant(0))
            : compare(value, literal);

        return test.Operator switch
        {
            DynamicPropertyTest.Test.Equal => Holds(Expression.Equal(value, literal)),
            DynamicPropertyTest.Test.NotEqual => Expression.Not(Holds(Expression.Equal(value, literal))),
            DynamicPropertyTest.Test.GreaterThan => Holds(Ordered(Expression.GreaterThan)),
            DynamicPropertyTest.Test.GreaterThanOrEqual => Holds(Ordered(Expression.GreaterThanOrEqual)),
            DynamicPropertyTest.Test.LessThan => Holds(Ordered(Expression.LessThan)),
            DynamicPropertyTest.Test.LessThanOrEqual => Holds(Ordered(Expression.LessThanOrEqual)),
            DynamicPropertyTest.Test.StartsWith => Holds(Expression.Call(value, nameof(string.StartsWith), null, literal)),
            DynamicPropertyTest.Test.EndsWith => Holds(Expression.Call(value, nameof(string.EndsWith), null, literal)),
            _ => Holds(Expression.Call(value, nameof(string.Contains), null, literal)),
        };
    }

    // The name is a constant (the index's expression holds it), the literal a parameter (one cached plan for every value).
    private static MethodCallExpression Call(string function, Expression properties, string name) =>
        Expression.Call(typeof(DynamicPropertyValues), function, null, properties, Expression.Constant(name));

    private static Expression Parameter<T>(T value) =>
        Expression.Field(Expression.Constant(new StrongBox<T>(value)), nameof(StrongBox<T>.Value));
}
