using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage.Push;

namespace GraphNotifications.Api.Push;

/// <summary>
/// Reads a push endpoint's registration: what a browser's <c>PushSubscription.toJSON()</c> gives (<c>endpoint</c>,
/// <c>expirationTime</c> as null or milliseconds since the epoch, <c>keys</c>), plus <c>platformType</c>; or the
/// contract's own names (<c>expirationDateTime</c>). Every problem is reported at once, each with its property as target.
/// Whether the endpoint's host may be called needs the network and is checked afterwards, by the caller.
/// </summary>
public static class PushEndpointBody
{
    public const string WebPush = "webPush";

    /// <summary>Graph's other platforms: names a client may mean, refused until delivery to them exists.</summary>
    private static readonly string[] Reserved = ["windows", "android", "ios"];

    private static readonly string[] ReadOnly = ["id", "createdDateTime", "lastDeliveryDateTime", "lastDeliveryError"];
    private static readonly string[] TypeNames = ["microsoft.graph.pushEndpoint", "graph.pushEndpoint"];

    public static PushEndpoint Read(JsonObject body, DateTimeOffset now, List<GraphErrorDetail> problems)
    {
        var endpoint = new PushEndpoint();
        bool hasPlatform = false, hasEndpoint = false, hasKeys = false, hasExpiration = false;
        if (body["@odata.type"] is { } type
            && !(type.GetValueKind() == JsonValueKind.String && TypeNames.Contains(type.GetValue<string>().TrimStart('#'), StringComparer.Ordinal)))
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, "'@odata.type' must be #microsoft.graph.pushEndpoint.", "@odata.type"));
        }

        foreach (var (name, value) in body)
        {
            if (name.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }

            if (ReadOnly.Contains(name, StringComparer.Ordinal))
            {
                problems.Add(new(GraphErrorCodes.ReadOnlyProperty, $"'{name}' is assigned by the service and cannot be set.", name));
                continue;
            }

            switch (name)
            {
                case "platformType":
                    hasPlatform = true;
                    endpoint.PlatformType = Platform(value, problems) ?? string.Empty;
                    break;
                case "endpoint":
                    hasEndpoint = true;
                    endpoint.Endpoint = Text(name, value, PushEndpointConfiguration.MaxEndpointLength, problems) ?? string.Empty;
                    break;
                case "keys":
                    hasKeys = true;
                    endpoint.Keys = Keys(value, problems) ?? new();
                    break;
                case "expirationTime" or "expirationDateTime":
                    if (hasExpiration)
                    {
                        problems.Add(new(GraphErrorCodes.InvalidValue, "Give the expiry once: 'expirationTime' (milliseconds since the epoch) or 'expirationDateTime'.", name));
                    }

                    hasExpiration = true;
                    endpoint.ExpirationDateTime = Expiration(name, value, now, problems);
                    break;
                default:
                    problems.Add(new(GraphErrorCodes.UnknownProperty,
                        $"'{name}' is not a property of a push endpoint (endpoint, expirationTime, keys, platformType).", name));
                    break;
            }
        }

        Require(hasPlatform, "platformType", "'platformType' is required: webPush.", problems);
        Require(hasEndpoint, "endpoint", "'endpoint' is required: the push service's URL of the subscription.", problems);
        Require(hasKeys, "keys", "'keys' is required: {\"p256dh\": …, \"auth\": …}, as PushSubscription.toJSON() gives them.", problems);
        return endpoint;
    }

    private static void Require(bool present, string name, string message, List<GraphErrorDetail> problems)
    {
        if (!present)
        {
            problems.Add(new(GraphErrorCodes.MissingProperty, message, name));
        }
    }

    private static string? Platform(JsonNode? value, List<GraphErrorDetail> problems)
    {
        string? text = Text("platformType", value, 64, problems);
        if (text is null)
        {
            return null;
        }

        if (string.Equals(text, WebPush, StringComparison.OrdinalIgnoreCase))
        {
            return WebPush;
        }

        problems.Add(new(GraphErrorCodes.InvalidValue, Reserved.Contains(text, StringComparer.OrdinalIgnoreCase)
            ? $"'platformType' {text} is reserved: only webPush endpoints are delivered to so far."
            : "'platformType' must be webPush.", "platformType"));
        return null;
    }

    private static PushEndpointKeys? Keys(JsonNode? value, List<GraphErrorDetail> problems)
    {
        if (value is not JsonObject keys)
        {
            problems.Add(new(GraphErrorCodes.InvalidType, "'keys' must be an object: {\"p256dh\": …, \"auth\": …}.", "keys"));
            return null;
        }

        var result = new PushEndpointKeys();
        foreach (var (name, key) in keys)
        {
            switch (name)
            {
                case "p256dh":
                    result.P256dh = Key("keys/p256dh", key, 65, problems, IsP256Point) ?? string.Empty;
                    break;
                case "auth":
                    result.Auth = Key("keys/auth", key, 16, problems, _ => true) ?? string.Empty;
                    break;
                default:
                    problems.Add(new(GraphErrorCodes.UnknownProperty, $"'keys/{name}' is not a key of a Web Push subscription (p256dh, auth).", $"keys/{name}"));
                    break;
            }
        }

        Require(keys.ContainsKey("p256dh"), "keys/p256dh", "'keys/p256dh' is required: the user agent's P-256 public key, base64url.", problems);
        Require(keys.ContainsKey("auth"), "keys/auth", "'keys/auth' is required: the 16-byte authentication secret, base64url.", problems);
        return result;
    }

    /// <summary>A base64url key of <paramref name="length"/> bytes, written back unpadded.</summary>
    private static string? Key(string target, JsonNode? value, int length, List<GraphErrorDetail> problems, Func<byte[], bool> valid)
    {
        string? text = Text(target, value, 256, problems);
        if (text is null)
        {
            return null;
        }

        byte[]? bytes = Base64Url.TryDecode(text);
        string what = length == 65 ? "an uncompressed P-256 point (65 bytes)" : $"{length} bytes";
        if (bytes is null || bytes.Length != length || !valid(bytes))
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, $"'{target}' must be base64url of {what}.", target));
            return null;
        }

        return Base64Url.Encode(bytes);
    }

    /// <summary>0x04, then X and Y of a point that lies on P-256: a key the payload can be encrypted to.</summary>
    private static bool IsP256Point(byte[] point)
    {
        if (point[0] != 0x04)
        {
            return false;
        }

        try
        {
            using var key = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = point[1..33], Y = point[33..65] },
            });
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static DateTimeOffset? Expiration(string name, JsonNode? value, DateTimeOffset now, List<GraphErrorDetail> problems)
    {
        if (value is null)
        {
            return null;
        }

        DateTimeOffset? when = null;
        if (name == "expirationTime")
        {
            if (value.GetValueKind() == JsonValueKind.Number && value.AsValue().TryGetValue(out long milliseconds)
                && milliseconds is > 0 and <= 253_402_300_799_999)
            {
                when = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
            }
            else
            {
                problems.Add(new(GraphErrorCodes.InvalidValue, "'expirationTime' must be null or whole milliseconds since the epoch.", name));
                return null;
            }
        }
        else if (value.GetValueKind() == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.RoundtripKind, out var parsed))
        {
            when = parsed.ToUniversalTime();
        }
        else
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, "'expirationDateTime' must be null or a date and time with its offset.", name));
            return null;
        }

        if (when <= now)
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, $"'{name}' has passed: the push service no longer accepts pushes to this endpoint.", name));
            return null;
        }

        return when;
    }

    private static string? Text(string name, JsonNode? value, int maxLength, List<GraphErrorDetail> problems)
    {
        if (value is null || value.GetValueKind() != JsonValueKind.String)
        {
            problems.Add(new(GraphErrorCodes.InvalidType, $"'{name}' must be a string.", name));
            return null;
        }

        string text = value.GetValue<string>();
        if (text.Length == 0 || text.Length > maxLength)
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, $"'{name}' must be 1 to {maxLength} characters.", name));
            return null;
        }

        return text;
    }
}
