using Microsoft.OData.UriParser;

namespace GraphNotifications.Api.Querying;

/// <summary>
/// Whether every use of a dynamic property in a <c>$filter</c> is a <see cref="DynamicPropertyTest"/> the store can
/// run; checked before anything is bound, so that a use it cannot run is refused with its reason (501), never half-run.
/// </summary>
public static class DynamicPropertyFilters
{
    /// <summary>Why the store cannot run this filter's use of a dynamic property; null when it can (or there is none).</summary>
    public static string? Refusal(QueryNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (DynamicPropertyTest.From(node, out string? refusal) is not null || refusal is not null)
        {
            return refusal;
        }

        return node switch
        {
            SingleValueOpenPropertyAccessNode open =>
                $"'{open.Name}' is a dynamic property; it cannot be used here. {DynamicPropertyTest.Supported}",
            CollectionOpenPropertyAccessNode open =>
                $"'{open.Name}' is a dynamic property, and dynamic properties hold single values, not collections. {DynamicPropertyTest.Supported}",
            BinaryOperatorNode binary => Refusal(binary.Left) ?? Refusal(binary.Right),
            UnaryOperatorNode unary => Refusal(unary.Operand),
            ConvertNode convert => Refusal(convert.Source),
            InNode @in => Refusal(@in.Left) ?? Refusal(@in.Right),
            LambdaNode lambda => Refusal(lambda.Source) ?? Refusal(lambda.Body),
            SingleValueFunctionCallNode call => Refusal(call.Source) ?? call.Parameters.Select(Refusal).FirstOrDefault(r => r is not null),
            CollectionFunctionCallNode call => Refusal(call.Source) ?? call.Parameters.Select(Refusal).FirstOrDefault(r => r is not null),
            SingleValuePropertyAccessNode property => Refusal(property.Source),
            SingleComplexNode complex => Refusal(complex.Source),
            CollectionPropertyAccessNode property => Refusal(property.Source),
            CollectionComplexNode complex => Refusal(complex.Source),
            CollectionConstantNode constants => constants.Collection.Select(Refusal).FirstOrDefault(r => r is not null),
            _ => null,
        };
    }
}
