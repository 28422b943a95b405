namespace GraphNotifications.Api.Querying;

/// <summary>
/// A query option's name as AspNetCoreOData reads it: trimmed, case-insensitive, the <c>$</c> of a system option
/// optional (OData 4.01). Every check of the query string names options this way, so none disagrees with the parser.
/// </summary>
public static class QueryOptionName
{
    /// <summary>The system options AspNetCoreOData also reads without their <c>$</c>.</summary>
    private static readonly string[] SystemOptions =
        ["$orderby", "$filter", "$top", "$skip", "$count", "$expand", "$select", "$format", "$skiptoken", "$deltatoken", "$search", "$compute", "$apply"];

    /// <summary>The option <paramref name="rawName"/> names (<c>top</c> is <c>$top</c>); empty for a nameless one.</summary>
    public static string Of(string rawName)
    {
        string name = rawName.Trim();
        return name.StartsWith('$') || !SystemOptions.Contains("$" + name, StringComparer.OrdinalIgnoreCase) ? name : "$" + name;
    }
}
