using Microsoft.OData;
using Microsoft.OData.UriParser;

namespace GraphNotifications.Api.Querying;

/// <summary>
/// One test of a dynamic property in a <c>$filter</c> that the store can run: the property compared with a literal
/// (<c>eq ne gt ge lt le</c>), or given to <c>startswith</c>, <c>endswith</c> or <c>contains</c> with a string literal.
/// The literal's type says how the property's JSON value is read: a string literal compares JSON strings, a number
/// numbers, <c>true</c>/<c>false</c> Booleans; a value of another type, like an absent property, is null.
/// </summary>
public sealed record DynamicPropertyTest(SingleValueOpenPropertyAccessNode Property, DynamicPropertyTest.Test Operator, object? Literal)
{
    public enum Test
    {
        Equal,
        NotEqual,
        GreaterThan,
        GreaterThanOrEqual,
        LessThan,
        LessThanOrEqual,
        StartsWith,
        EndsWith,
        Contains,
    }

    public const string Supported =
        "A dynamic property may be compared with a literal (eq, ne, gt, ge, lt, le with a string, a number, true or false; eq and ne with null) "
        + "or tested with startswith, endswith or contains and a string literal.";

    /// <summary>The test a comparison or function call is, or null (with why) when it tests a dynamic property in a way the store cannot run.</summary>
    public static DynamicPropertyTest? From(QueryNode node, out string? refusal)
    {
        refusal = null;
        return node switch
        {
            BinaryOperatorNode comparison when IsComparison(comparison.OperatorKind) && (IsDynamic(comparison.Left) || IsDynamic(comparison.Right)) =>
                FromComparison(comparison, out refusal),
            SingleValueFunctionCallNode call when call.Parameters.Any(IsDynamic) => FromFunction(call, out refusal),
            _ => null,
        };
    }

    public static bool IsDynamic(QueryNode node) => Strip(node) is SingleValueOpenPropertyAccessNode;

    private static DynamicPropertyTest? FromComparison(BinaryOperatorNode comparison, out string? refusal)
    {
        bool propertyLeft = IsDynamic(comparison.Left);
        var property = (SingleValueOpenPropertyAccessNode)Strip(propertyLeft ? comparison.Left : comparison.Right);
        var other = Strip(propertyLeft ? comparison.Right : comparison.Left);
        if (!IsOnTheItem(property, out refusal))
        {
            return null;
        }

        if (other is not ConstantNode { Value: var literal } || !IsLiteral(literal))
        {
            refusal = $"'{property.Name}' is a dynamic property: it can be compared with a literal only (a string, a number, true, false or null), not with {Describe(other)}. {Supported}";
            return null;
        }

        var test = comparison.OperatorKind switch
        {
            BinaryOperatorKind.Equal => Test.Equal,
            BinaryOperatorKind.NotEqual => Test.NotEqual,
            BinaryOperatorKind.GreaterThan => propertyLeft ? Test.GreaterThan : Test.LessThan,
            BinaryOperatorKind.GreaterThanOrEqual => propertyLeft ? Test.GreaterThanOrEqual : Test.LessThanOrEqual,
            BinaryOperatorKind.LessThan => propertyLeft ? Test.LessThan : Test.GreaterThan,
            _ => propertyLeft ? Test.LessThanOrEqual : Test.GreaterThanOrEqual,
        };
        if (test is not (Test.Equal or Test.NotEqual) && literal is null or bool)
        {
            refusal = $"'{property.Name}' can be compared with {(literal is null ? "null" : "true or false")} by eq and ne only. {Supported}";
            return null;
        }

        return new DynamicPropertyTest(property, test, literal);
    }

    private static DynamicPropertyTest? FromFunction(SingleValueFunctionCallNode call, out string? refusal)
    {
        var test = call.Name switch
        {
            "startswith" => Test.StartsWith,
            "endswith" => Test.EndsWith,
            "contains" => Test.Contains,
            _ => (Test?)null,
        };
        if (test is null || call.Parameters.ToList() is not [var first, var second] || !IsDynamic(first) || Strip(second) is not ConstantNode { Value: string literal })
        {
            refusal = $"The function '{call.Name}' cannot take a dynamic property here. {Supported}";
            return null;
        }

        var property = (SingleValueOpenPropertyAccessNode)Strip(first);
        return IsOnTheItem(property, out refusal) ? new DynamicPropertyTest(property, test.Value, literal) : null;
    }

    // A dynamic property of the notification itself ($it), not a path into one (dynamic values are primitives) nor a
    // property of a lambda's variable.
    private static bool IsOnTheItem(SingleValueOpenPropertyAccessNode property, out string? refusal)
    {
        refusal = property.Source is ResourceRangeVariableReferenceNode
            ? null
            : $"'{property.Name}' is not a dynamic property of the notification itself: a dynamic property holds a string, a number or a Boolean, with no properties of its own. {Supported}";
        return refusal is null;
    }

    private static bool IsLiteral(object? value) =>
        value is null or string or bool or int or long or decimal or double or float or short or byte or sbyte;

    private static bool IsComparison(BinaryOperatorKind kind) => kind is BinaryOperatorKind.Equal or BinaryOperatorKind.NotEqual
        or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual;

    private static string Describe(QueryNode node) => node switch
    {
        SingleValueOpenPropertyAccessNode open => $"another dynamic property ('{open.Name}')",
        SingleValuePropertyAccessNode declared => $"a property ('{declared.Property.Name}')",
        ConstantNode { Value: ODataEnumValue } => "an enumeration member",
        ConstantNode { Value: var value } => $"a literal of type {value?.GetType().Name}",
        _ => "an expression",
    };

    private static QueryNode Strip(QueryNode node) => node is ConvertNode convert ? Strip(convert.Source) : node;
}
