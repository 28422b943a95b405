using GraphNotifications.Api.Errors;
using Microsoft.AspNetCore.OData.Query;

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
        foreach (var (name, values) in request.Query)
        {
            if (!name.StartsWith('$'))
            {
                continue;
            }

            if (QueryLimits.NotImplemented.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return new GraphError(StatusCodes.Status501NotImplemented, GraphErrorCodes.NotImplemented,
                    $"The query option '{name}' is not supported by this service. Supported: {string.Join(", ", QueryLimits.Supported)}.");
            }

            if (!QueryLimits.Supported.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return GraphError.BadRequest($"'{name}' is not an OData system query option. Supported: {string.Join(", ", QueryLimits.Supported)}.");
            }

            if (values.Count > 1)
            {
                return GraphError.BadRequest($"The query option '{name}' is given more than once.");
            }
        }

        // Parses every option and checks it against the limits; an ODataException becomes a 400.
        options.Validate(QueryLimits.Validation);
        return null;
    }
}
