using GraphNotifications.Api.Storage.Idempotency;

namespace GraphNotifications.Api.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> request header (IETF httpapi draft "The Idempotency-Key HTTP Header Field"). The
/// draft makes it a structured-field string, <c>"8e03978e-…"</c>; the bare form most clients send is accepted too.
/// </summary>
public static class IdempotencyKeyHeader
{
    public const string Name = "Idempotency-Key";

    /// <summary>Whether the request sent the header at all (an empty one counts, and is refused).</summary>
    public static bool IsPresent(HttpRequest request) => request.Headers.ContainsKey(Name);

    /// <summary>The key, or null when the header is not one key of 1 to 255 visible ASCII characters.</summary>
    public static string? Parse(HttpRequest request)
    {
        var values = request.Headers[Name];
        if (values.Count != 1 || values[0] is not { } value)
        {
            return null;
        }

        string? key = value.Trim();
        if (key.StartsWith('"'))
        {
            key = key.Length >= 2 && key[^1] == '"' ? Unquote(key[1..^1]) : null;
        }

        return key is { Length: > 0 and <= IdempotencyKeyLimits.MaxLength } && key.All(c => c is > ' ' and <= '~') ? key : null;
    }

    // A structured-field string escapes only '"' and '\'; anything else after a backslash is malformed.
    private static string? Unquote(string quoted)
    {
        var key = new System.Text.StringBuilder(quoted.Length);
        for (int i = 0; i < quoted.Length; i++)
        {
            char c = quoted[i];
            if (c == '\\')
            {
                if (++i == quoted.Length || quoted[i] is not ('"' or '\\'))
                {
                    return null;
                }

                c = quoted[i];
            }
            else if (c == '"')
            {
                return null;
            }

            key.Append(c);
        }

        return key.ToString();
    }
}
