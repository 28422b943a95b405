using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Query.Validator;

namespace GraphNotifications.Api.Querying;

/// <summary>
/// The query options a collection answers and the limits that protect the store. Functions are limited to those
/// the store can evaluate (date-time parts cannot run on the UTC ticks the store keeps) in bounded time.
/// </summary>
public static class QueryLimits
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 999;
    public const int MaxTop = 999;
    // $skip is an OFFSET: each skipped item is read and discarded (the benchmark measured ~300 ms at 100,000).
    // Clients page with @odata.nextLink; $skip stays for small offsets.
    public const int MaxSkip = 10_000;
    public const int MaxNodeCount = 100;
    public const int MaxOrderByTerms = 5;
    public const int MaxExpansionDepth = 1;

    /// <summary>At most this many notifications are expanded into one user; the feed itself pages further.</summary>
    public const int MaxExpandedItems = DefaultPageSize;

    public static ODataValidationSettings Validation { get; } = new()
    {
        MaxTop = MaxTop,
        MaxSkip = MaxSkip,
        MaxNodeCount = MaxNodeCount,
        MaxOrderByNodeCount = MaxOrderByTerms,
        MaxExpansionDepth = MaxExpansionDepth,
        MaxAnyAllExpressionDepth = 2,
        MaxFunctionCallDepth = 5,
        AllowedQueryOptions = AllowedQueryOptions.Filter | AllowedQueryOptions.Select | AllowedQueryOptions.OrderBy
            | AllowedQueryOptions.Top | AllowedQueryOptions.Skip | AllowedQueryOptions.Count | AllowedQueryOptions.Expand
            | AllowedQueryOptions.SkipToken | AllowedQueryOptions.Format,
        // Not matchesPattern: it runs .NET's Regex, without a time limit, on every row (in process, or in SQLite's
        // regexp callback), and a pattern such as '^(a+)+$' takes exponential time: one request, one core, forever.
        AllowedFunctions = (AllowedFunctions.AllStringFunctions & ~AllowedFunctions.MatchesPattern) | AllowedFunctions.Any | AllowedFunctions.All,
    };

    /// <summary>For queries the store runs: no null propagation (SQL has its own), constants as parameters.</summary>
    public static ODataQuerySettings Store { get; } = new()
    {
        HandleNullPropagation = HandleNullPropagationOption.False,
        EnsureStableOrdering = false,
        EnableConstantParameterization = true,
    };

    /// <summary>For $select and $expand shaped in memory over a page already read.</summary>
    public static ODataQuerySettings InMemory { get; } = new()
    {
        HandleNullPropagation = HandleNullPropagationOption.True,
        EnsureStableOrdering = false,
    };

    /// <summary>System query options OData defines that this service does not implement: 501, as the spec says.</summary>
    public static readonly string[] NotImplemented = ["$apply", "$search", "$compute", "$index", "$schemaversion", "$deltatoken", "$levels", "$expand($levels)"];

    public static readonly string[] Supported = ["$filter", "$select", "$orderby", "$top", "$skip", "$count", "$expand", "$skiptoken", "$format"];
}
