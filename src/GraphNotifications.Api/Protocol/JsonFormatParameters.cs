using Microsoft.Net.Http.Headers;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// The format parameters of <c>application/json</c> that the service writes (OData JSON Format 4.01, section 3):
/// <c>odata.metadata</c>, <c>odata.streaming</c> and <c>IEEE754Compatible</c>, names and values case-insensitive.
/// OData 4.01 also spells the first two without <c>odata.</c>; the service answers in 4.0, which writes the prefix.
/// </summary>
public static class JsonFormatParameters
{
    public const string JsonMediaType = "application/json";

    private static readonly Dictionary<string, string[]> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["odata.metadata"] = ["minimal", "full", "none"],
        ["odata.streaming"] = ["true", "false"],
        ["IEEE754Compatible"] = ["true", "false"],
    };

    private static readonly Dictionary<string, string> Unprefixed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["metadata"] = "odata.metadata",
        ["streaming"] = "odata.streaming",
    };

    /// <summary>The 4.0 name of a parameter a 4.01 client may send without <c>odata.</c>, or the name as it is.</summary>
    public static string Canonical(string name) => Unprefixed.GetValueOrDefault(name.Trim(), name);

    /// <summary>
    /// The first parameter the service does not write, as <c>name=value</c>; null when it writes them all. Only 4.0's
    /// prefixed names count: <c>$format</c> is handed to AspNetCoreOData as sent, and it ignores <c>metadata=</c>.
    /// </summary>
    public static string? FirstUnsupported(IEnumerable<NameValueHeaderValue> parameters)
    {
        foreach (var parameter in parameters)
        {
            string name = parameter.Name.ToString();
            string value = HeaderUtilities.RemoveQuotes(parameter.Value).ToString();
            if (!Known.TryGetValue(name, out var values) || !values.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                return $"{parameter.Name}={parameter.Value}";
            }
        }

        return null;
    }
}
