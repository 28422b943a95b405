using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Querying;

namespace GraphNotifications.Api.Delta;

/// <summary>
/// The query options of a delta call. The first call may shape the items with <c>$select</c>; later calls bring only
/// the token of the link they follow, which carries that <c>$select</c>. The other system options are refused: a
/// delta query returns the whole feed and then its changes, and filtering or ordering either would break that promise.
/// </summary>
internal sealed record DeltaOptions(string? SkipToken, string? DeltaToken, string? Select)
{
    /// <summary>The value of <c>$deltatoken</c> that asks for the changes from now on, nothing of the past (as Graph offers it).</summary>
    public const string Latest = "latest";

    public bool IsFirstCall => SkipToken is null && DeltaToken is null;

    public bool IsLatest => string.Equals(DeltaToken, Latest, StringComparison.OrdinalIgnoreCase);

    public static (DeltaOptions? Options, GraphError? Error) Read(HttpRequest request)
    {
        string? skipToken = null, deltaToken = null, select = null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (rawName, values) in request.Query)
        {
            string option = QueryOptionName.Of(rawName);
            if (option.Length == 0)
            {
                // AspNetCoreOData throws on a nameless option when it reads $select; refused here as on every collection.
                return (null, GraphError.BadRequest("The query string holds an option without a name."));
            }

            if (!option.StartsWith('$'))
            {
                continue;
            }

            if (values.Count > 1 || !seen.Add(option))
            {
                return (null, GraphError.BadRequest($"The query option '{option}' is given more than once."));
            }

            string value = values.ToString();
            if (string.IsNullOrWhiteSpace(value))
            {
                return (null, GraphError.BadRequest($"The query option '{option}' has no value."));
            }

            switch (option.ToLowerInvariant())
            {
                case "$skiptoken":
                    skipToken = value;
                    break;
                case "$deltatoken":
                    deltaToken = value;
                    break;
                case "$select":
                    select = value;
                    break;
                case "$format":
                    // Answered by content negotiation, like Accept.
                    break;
                default:
                    return (null, GraphError.BadRequest(
                        $"The query option '{option}' is not supported on delta: a delta query returns the whole feed, then its changes. Only $select applies, on the first call."));
            }
        }

        if (skipToken is not null && deltaToken is not null)
        {
            return (null, GraphError.BadRequest("Send either $skiptoken or $deltatoken: follow @odata.nextLink or @odata.deltaLink as it is given."));
        }

        if ((skipToken is not null || deltaToken is not null) && select is not null)
        {
            return (null, GraphError.BadRequest("The links of a delta query carry the first call's $select: follow @odata.nextLink or @odata.deltaLink as it is given, without $select."));
        }

        return (new DeltaOptions(skipToken, deltaToken, select), null);
    }
}
