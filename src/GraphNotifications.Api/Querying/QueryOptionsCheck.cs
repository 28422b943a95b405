using GraphNotifications.Api.Errors;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace GraphNotifications.Api.Querying;

/// <summary>
/// Refuses what a collection cannot answer before any of it runs: options OData defines that this service does
/// not implement (501), unknown or repeated system options, and anything past the limits (400). Silence is never
/// an answer: an option is honored or refused.
/// </summary>
public static class QueryOptionsCheck
{
    public static GraphError? Check<T>(HttpRequest request, ODataQueryOptions<T> options)
    {
        if (CheckNames(request) is { } refused)
        {
            return refused;
        }

        // Parses every option and checks it against the limits; an ODataException becomes a 400.
        try
        {
            options.Validate(QueryLimits.Validation);
        }
        catch (Exception ex) when (StoreQuery.IsRefusalOfClientQuery(ex) || ex is NullReferenceException)
        {
            // Parsing reads only the model, the settings and the client's text: whatever fails here is the parser
            // refusing that text badly (year(unknownProperty) in … is a NullReferenceException in ODataLib).
            return GraphError.BadRequest("The query options cannot be parsed: check each expression's syntax and its operands' types.");
        }

        var expanded = options.SelectExpand?.SelectExpandClause?.SelectedItems.OfType<ExpandedNavigationSelectItem>() ?? [];
        // A user's push endpoints are read on their own path (the contract's ExpandRestrictions says so); expanded,
        // nothing would load them and the answer would show none.
        if (expanded.Any(e => e.PathToNavigationProperty.LastSegment is NavigationPropertySegment { NavigationProperty.ContainsTarget: true }))
        {
            return GraphError.BadRequest("pushEndpoints cannot be expanded: read /me/pushEndpoints or /users/{id}/pushEndpoints.");
        }

        var filters = expanded.Select(e => e.FilterOption?.Expression).Prepend(options.Filter?.FilterClause?.Expression).ToList();

        // Options nested in $select (targetPolicy/platformTypes($top=1)) fail in AspNetCoreOData's projection on a
        // notification without the complex value, while the answer is being written: refused, never half-answered.
        if (options.SelectExpand?.SelectExpandClause?.SelectedItems.OfType<PathSelectItem>().Any(HasNestedOptions) == true)
        {
            return GraphError.BadRequest("$select takes paths only, without nested query options such as ($top=1).");
        }

        // 'payload in (…)' binds, and then fails in the store on the owned type (EF Core compares it by a key it hides).
        if (filters.Any(f => Any(f, n => n is InNode { Left.TypeReference: { } left } && left.IsStructured())))
        {
            return GraphError.BadRequest("'in' takes a value of a primitive or enumeration type on its left, not a complex value such as payload.");
        }

        // 'has' tests flags, and priority is not a flags enumeration (None is 0, so "has None" would hold for every
        // value); the stores also fail on it when priority is null. Graph's own enumerations answer it the same way.
        if (filters.Any(f => Any(f, n => n is BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Has } has && !IsFlags(has.Left))))
        {
            return GraphError.BadRequest("'has' tests the flags of a flags enumeration; priority is not one: use 'eq' or 'in' instead.");
        }

        // Where a Boolean is required (the filter itself, a lambda's body), the null literal binds as a cast of null to
        // bool, which fails when the store evaluates it.
        if (filters.Any(f => IsNullLiteral(f) || Any(f, n => n is LambdaNode { Body: var body } && IsNullLiteral(body))))
        {
            return GraphError.BadRequest("A $filter and the body of any() and all() must be Boolean expressions, not null.");
        }

        // No property of a notification is a floating-point number, so NaN compares with nothing; and SQLite cannot
        // even take it as a parameter.
        if (filters.Any(f => Any(f, n => n is ConstantNode { Value: double.NaN or float.NaN })))
        {
            return GraphError.BadRequest("NaN cannot be compared with any property of a notification: none is a floating-point number.");
        }

        // Dynamic properties live in one JSON column: the stores run the tests DynamicPropertyFilterBinder binds, no other use.
        if (filters.Select(DynamicPropertyFilters.Refusal).FirstOrDefault(r => r is not null) is { } dynamicRefusal)
        {
            return new GraphError(StatusCodes.Status501NotImplemented, GraphErrorCodes.NotImplemented, dynamicRefusal);
        }

        return null;
    }

    private static bool HasNestedOptions(PathSelectItem item) =>
        item.FilterOption is not null || item.OrderByOption is not null || item.TopOption is not null || item.SkipOption is not null
        || item.CountOption is not null || item.SearchOption is not null || item.SelectAndExpand is { AllSelected: false };

    private static bool IsFlags(SingleValueNode left) =>
        (left is ConvertNode convert ? convert.Source : left).TypeReference?.Definition is IEdmEnumType { IsFlags: true };

    private static bool IsNullLiteral(QueryNode? node) => node switch
    {
        ConstantNode { Value: null } => true,
        ConvertNode convert => IsNullLiteral(convert.Source),
        _ => false,
    };

    /// <summary>Whether any node of an expression tree passes <paramref name="test"/>.</summary>
    private static bool Any(QueryNode? node, Func<QueryNode, bool> test) => node is not null && (test(node) || node switch
    {
        BinaryOperatorNode binary => Any(binary.Left, test) || Any(binary.Right, test),
        UnaryOperatorNode unary => Any(unary.Operand, test),
        ConvertNode convert => Any(convert.Source, test),
        InNode @in => Any(@in.Left, test) || Any(@in.Right, test),
        LambdaNode lambda => Any(lambda.Source, test) || Any(lambda.Body, test),
        SingleValueFunctionCallNode call => Any(call.Source, test) || call.Parameters.Any(p => Any(p, test)),
        CollectionFunctionCallNode call => Any(call.Source, test) || call.Parameters.Any(p => Any(p, test)),
        SingleValuePropertyAccessNode property => Any(property.Source, test),
        SingleComplexNode complex => Any(complex.Source, test),
        CollectionPropertyAccessNode property => Any(property.Source, test),
        CollectionComplexNode complex => Any(complex.Source, test),
        CollectionConstantNode constants => constants.Collection.Any(c => Any(c, test)),
        _ => false,
    });

    /// <summary>
    /// The query string's options by name, read as AspNetCoreOData reads them (names trimmed, case-insensitive, the
    /// <c>$</c> of a system option optional). It puts them in a dictionary as it builds <c>ODataQueryOptions</c>, and
    /// throws when a name is empty or comes twice (<c>$filter</c> and <c>filter</c>), or <c>$skiptoken</c> has no
    /// value; so this runs before the options are bound, too (<see cref="QueryOptionNamesFilter"/>).
    /// </summary>
    public static GraphError? CheckNames(HttpRequest request)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (rawName, values) in request.Query)
        {
            string option = QueryOptionName.Of(rawName);
            if (option.Length == 0)
            {
                return GraphError.BadRequest("The query string holds an option without a name.");
            }

            if (!option.StartsWith('$') && !option.StartsWith('@'))
            {
                continue;
            }

            if (values.Count > 1 || !seen.Add(option))
            {
                return GraphError.BadRequest($"The query option '{option}' is given more than once.");
            }

            if (!option.StartsWith('$'))
            {
                continue;
            }

            if (QueryLimits.NotImplemented.Contains(option, StringComparer.OrdinalIgnoreCase))
            {
                return new GraphError(StatusCodes.Status501NotImplemented, GraphErrorCodes.NotImplemented,
                    $"The query option '{option}' is not supported by this service. Supported: {string.Join(", ", QueryLimits.Supported)}.");
            }

            if (!QueryLimits.Supported.Contains(option, StringComparer.OrdinalIgnoreCase))
            {
                return GraphError.BadRequest($"'{option}' is not an OData system query option. Supported: {string.Join(", ", QueryLimits.Supported)}.");
            }

            if (string.IsNullOrWhiteSpace(values))
            {
                return GraphError.BadRequest($"The query option '{option}' has no value.");
            }
        }

        return null;
    }
}

/// <summary>Runs <see cref="QueryOptionsCheck.CheckNames"/> before an action's <c>ODataQueryOptions</c> are bound.</summary>
public sealed class QueryOptionNamesFilter : IResourceFilter
{
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        if (context.ActionDescriptor.Parameters.Any(p => typeof(ODataQueryOptions).IsAssignableFrom(p.ParameterType))
            && QueryOptionsCheck.CheckNames(context.HttpContext.Request) is { } refused)
        {
            context.Result = new GraphErrorResult(refused);
        }
    }

    public void OnResourceExecuted(ResourceExecutedContext context)
    {
    }
}
