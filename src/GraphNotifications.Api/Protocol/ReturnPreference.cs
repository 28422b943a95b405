namespace GraphNotifications.Api.Protocol;

/// <summary>What the <c>return</c> preference (OData 4.01 Part 1, 8.2.8.7) asks of a create or an update.</summary>
public enum ReturnPreference
{
    /// <summary>No <c>return</c> preference: each operation answers as it does by default.</summary>
    None,

    /// <summary><c>return=minimal</c>: 204 without a body.</summary>
    Minimal,

    /// <summary><c>return=representation</c>: the entity in the body.</summary>
    Representation,
}

public static class ReturnPreferences
{
    public const string Minimal = "return=minimal";
    public const string Representation = "return=representation";

    /// <summary>
    /// The request's <c>return</c> preference, read as RFC 7240 says: names case-insensitively, a value that may be
    /// quoted, parameters after <c>;</c> ignored, and only the first <c>return</c> counted. An unknown value is no
    /// preference (a service ignores what it does not know).
    /// </summary>
    public static ReturnPreference Of(HttpRequest request)
    {
        foreach (string? header in request.Headers["Prefer"])
        {
            foreach (string preference in (header ?? string.Empty).Split(','))
            {
                string[] parts = preference.Split(';')[0].Split('=', 2, StringSplitOptions.TrimEntries);
                if (!parts[0].Equals("return", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                string value = parts.Length == 2 ? parts[1].Trim('"') : string.Empty;
                return value.ToLowerInvariant() switch
                {
                    "minimal" => ReturnPreference.Minimal,
                    "representation" => ReturnPreference.Representation,
                    _ => ReturnPreference.None,
                };
            }
        }

        return ReturnPreference.None;
    }
}
