using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Resources;

namespace GraphNotifications.Api.Subscriptions;

/// <summary>
/// Reads a subscription body and reports every problem at once, each with its property as target. A create may set
/// Graph's writable properties; a renewal (PATCH) only <c>expirationDateTime</c> and <c>notificationUrl</c>, as Graph
/// allows. What needs the network (the notification URL's host, the handshake) is checked afterwards, by the caller.
/// </summary>
public static class SubscriptionBody
{
    public const int MaxClientStateLength = 255;
    public const int MaxTextLength = 2048;
    public const int MaxCertificateLength = 16 * 1024;

    private static readonly string[] ChangeTypes = ["created", "updated", "deleted"];
    private static readonly string[] TlsVersions = ["v1_0", "v1_1", "v1_2", "v1_3"];
    private static readonly string[] ReadOnly = ["id", "applicationId", "creatorId", "deliveryFailedDateTime", "lastDeliveryError"];
    private static readonly string[] Required = ["resource", "changeType", "notificationUrl", "expirationDateTime"];
    private static readonly string[] TypeNames = ["microsoft.graph.subscription", "graph.subscription"];

    /// <summary>The subscription a create body describes (the service's own properties not yet set).</summary>
    public static Subscription ReadCreate(JsonObject body, DateTimeOffset now, TimeSpan maxLifetime, List<GraphErrorDetail> problems)
    {
        var subscription = new Subscription { LatestSupportedTlsVersion = "v1_2" };
        CheckType(body, problems);
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
                case "resource":
                    subscription.Resource = Text(name, value, MaxTextLength, problems) ?? string.Empty;
                    break;
                case "changeType":
                    subscription.ChangeType = ChangeType(value, problems) ?? string.Empty;
                    break;
                case "notificationUrl":
                    subscription.NotificationUrl = Text(name, value, NotificationUrlGuard.MaxLength, problems) ?? string.Empty;
                    break;
                case "expirationDateTime":
                    subscription.ExpirationDateTime = Expiration(value, now, maxLifetime, problems) ?? default;
                    break;
                case "clientState":
                    subscription.ClientState = Text(name, value, MaxClientStateLength, problems);
                    break;
                case "lifecycleNotificationUrl":
                    subscription.LifecycleNotificationUrl = Text(name, value, NotificationUrlGuard.MaxLength, problems);
                    break;
                case "latestSupportedTlsVersion":
                    subscription.LatestSupportedTlsVersion = TlsVersion(value, problems);
                    break;
                case "includeResourceData":
                    subscription.IncludeResourceData = IncludeResourceData(value, problems);
                    break;
                case "encryptionCertificate":
                    subscription.EncryptionCertificate = Text(name, value, MaxCertificateLength, problems);
                    break;
                case "encryptionCertificateId":
                    subscription.EncryptionCertificateId = Text(name, value, MaxClientStateLength, problems);
                    break;
                case "notificationContentType":
                    subscription.NotificationContentType = ContentType(value, problems);
                    break;
                case "notificationQueryOptions":
                    if (value is not null)
                    {
                        problems.Add(new(GraphErrorCodes.InvalidValue, "'notificationQueryOptions' is not supported on notification feeds; narrow the resource with $filter instead.", name));
                    }

                    break;
                case "notificationUrlAppId":
                    subscription.NotificationUrlAppId = Text(name, value, Storage.StorageColumns.MaxIdLength, problems);
                    break;
                default:
                    problems.Add(new(GraphErrorCodes.UnknownProperty, $"'{name}' is not a property of microsoft.graph.subscription.", name));
                    break;
            }
        }

        foreach (string name in Required.Where(r => body[r] is null))
        {
            if (!problems.Any(p => p.Target == name))
            {
                problems.Add(new(GraphErrorCodes.MissingProperty, $"'{name}' is required.", name));
            }
        }

        return subscription;
    }

    /// <summary>A renewal: the new expiry and notification URL, each null when the body leaves it as it is.</summary>
    public static (DateTimeOffset? Expiration, string? NotificationUrl) ReadRenewal(JsonObject body, string id, DateTimeOffset now, TimeSpan maxLifetime,
        List<GraphErrorDetail> problems)
    {
        DateTimeOffset? expiration = null;
        string? url = null;
        CheckType(body, problems);
        foreach (var (name, value) in body)
        {
            if (name.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }

            switch (name)
            {
                case "id" when value is JsonValue v && v.TryGetValue<string>(out var sent) && sent == id:
                    break;
                case "expirationDateTime":
                    expiration = Expiration(value, now, maxLifetime, problems);
                    break;
                case "notificationUrl":
                    url = Text(name, value, NotificationUrlGuard.MaxLength, problems);
                    break;
                default:
                    problems.Add(new(GraphErrorCodes.ReadOnlyProperty,
                        $"'{name}' cannot be changed: a subscription is renewed with expirationDateTime (and moved with notificationUrl). To change anything else, delete it and create another.",
                        name));
                    break;
            }
        }

        return (expiration, url);
    }

    private static void CheckType(JsonObject body, List<GraphErrorDetail> problems)
    {
        if (body["@odata.type"] is { } type
            && !(type is JsonValue v && v.TryGetValue<string>(out var name) && TypeNames.Contains(name.TrimStart('#'), StringComparer.Ordinal)))
        {
            problems.Add(new(GraphErrorCodes.InvalidType, "'@odata.type' must be microsoft.graph.subscription.", "@odata.type"));
        }
    }

    private static string? Text(string name, JsonNode? value, int maxLength, List<GraphErrorDetail> problems)
    {
        if (value is null)
        {
            return null;
        }

        if (value.GetValueKind() != JsonValueKind.String)
        {
            problems.Add(new(GraphErrorCodes.InvalidType, $"'{name}' must be a string.", name));
            return null;
        }

        string text = value.GetValue<string>();
        if (text.Length > maxLength)
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, $"'{name}' is longer than {maxLength} characters.", name));
            return null;
        }

        return text;
    }

    private static string? ChangeType(JsonNode? value, List<GraphErrorDetail> problems)
    {
        string? text = Text("changeType", value, 64, problems);
        if (text is null)
        {
            return null;
        }

        var kinds = text.Split(',', StringSplitOptions.TrimEntries);
        if (kinds.Any(k => !ChangeTypes.Contains(k, StringComparer.Ordinal)) || kinds.Distinct(StringComparer.Ordinal).Count() != kinds.Length)
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, "'changeType' must be a comma-separated list of created, updated and deleted, each at most once.", "changeType"));
            return null;
        }

        return string.Join(',', kinds);
    }

    private static DateTimeOffset? Expiration(JsonNode? value, DateTimeOffset now, TimeSpan maxLifetime, List<GraphErrorDetail> problems)
    {
        const string Name = "expirationDateTime";
        string? text = value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiration)
            || !text.Contains('T', StringComparison.Ordinal))
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, $"'{Name}' must be a date and time in ISO 8601 form, such as 2026-01-01T00:00:00Z.", Name));
            return null;
        }

        expiration = expiration.ToUniversalTime();
        if (expiration <= now)
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, $"'{Name}' must lie in the future.", Name));
            return null;
        }

        if (expiration > now + maxLifetime)
        {
            problems.Add(new(GraphErrorCodes.InvalidValue,
                $"'{Name}' lies beyond the maximum lifetime of a subscription, {maxLifetime.TotalMinutes:0} minutes from now; renew it before it expires instead.", Name));
            return null;
        }

        return expiration;
    }

    private static string? TlsVersion(JsonNode? value, List<GraphErrorDetail> problems)
    {
        string? text = Text("latestSupportedTlsVersion", value, 16, problems);
        if (text is null)
        {
            return "v1_2";
        }

        if (!TlsVersions.Contains(text, StringComparer.Ordinal))
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, "'latestSupportedTlsVersion' must be one of v1_0, v1_1, v1_2, v1_3.", "latestSupportedTlsVersion"));
        }

        return text;
    }

    private static bool? IncludeResourceData(JsonNode? value, List<GraphErrorDetail> problems)
    {
        const string Name = "includeResourceData";
        if (value is null)
        {
            return null;
        }

        if (value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            problems.Add(new(GraphErrorCodes.InvalidType, $"'{Name}' must be a Boolean.", Name));
            return null;
        }

        if (value.GetValue<bool>())
        {
            problems.Add(new(GraphErrorCodes.InvalidValue,
                $"'{Name}' true is not supported: notifications carry the resource's id, and the app reads the notification with it.", Name));
        }

        return false;
    }

    private static string? ContentType(JsonNode? value, List<GraphErrorDetail> problems)
    {
        string? text = Text("notificationContentType", value, 64, problems);
        if (text is not null && !text.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, "'notificationContentType' must be application/json, the only content type notifications are sent in.", "notificationContentType"));
        }

        return text;
    }
}
