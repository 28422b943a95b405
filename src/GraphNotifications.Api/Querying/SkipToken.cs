using System.Buffers.Text;
using System.Text.Json;
using Microsoft.OData;

namespace GraphNotifications.Api.Querying;

/// <summary>
/// The position a next link resumes from: the key values of the last item sent, the ordering they belong to,
/// and how much of the client's <c>$top</c> is left. Opaque to clients (base64url JSON); a token that does not
/// fit the request it comes back with is a 400.
/// </summary>
public sealed record SkipToken(string Ordering, JsonElement[] Last, int? RemainingTop)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    public static SkipToken Decode(string text, string ordering)
    {
        try
        {
            var token = JsonSerializer.Deserialize<SkipToken>(Base64Url.DecodeFromChars(text));
            // A client can read and rewrite a token (it is only encoded): what it says is checked like any input.
            if (token is not null && token.Ordering == ordering && token.Last is not null
                && token.RemainingTop is null or (> 0 and <= QueryLimits.MaxTop))
            {
                return token;
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            // Reported below, as for a token of another request.
        }

        throw new ODataException("The $skiptoken is not one this service issued for this request; follow @odata.nextLink as it is given.");
    }

    /// <summary>The key values, typed as the keys are.</summary>
    public object?[] Values(IReadOnlyList<Type> types)
    {
        if (Last.Length != types.Count)
        {
            throw new ODataException("The $skiptoken does not fit this request's ordering.");
        }

        try
        {
            return [.. Last.Select((value, i) => value.Deserialize(types[i]))];
        }
        catch (JsonException)
        {
            throw new ODataException("The $skiptoken does not fit this request's ordering.");
        }
    }

    public static JsonElement[] From(IEnumerable<object?> values) =>
        [.. values.Select(v => JsonSerializer.SerializeToElement(v))];
}
