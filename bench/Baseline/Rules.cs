using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace GraphNotifications.Bench.Baseline;

public sealed record Problem(string Code, string Message, string? Target);

/// <summary>A valid notification, ready to store.</summary>
public sealed record NewNotification(
    string TargetHostName, DateTimeOffset? Expires, string? RawContent, string? Title, string? Body, int? DisplayTimeToLive,
    int? Priority, string? GroupName, List<string>? PlatformTypes, Dictionary<string, JsonElement>? Dynamic);

/// <summary>
/// The service's rules for a new notification (src/GraphNotifications.Api/Validation), on the typed body: every
/// problem is reported at once. A value of the wrong JSON type fails deserialization first (one problem, not all).
/// </summary>
public static partial class Rules
{
    public static readonly TimeSpan MaximumLifetime = TimeSpan.FromDays(30);

    private static readonly string[] PriorityNames = ["None", "High", "Low"];
    private static readonly string[] DeclaredNames = ["id", "targetHostName", "expirationDateTime", "payload", "displayTimeToLive", "priority", "groupName", "targetPolicy"];
    private static readonly string[] ReservedNames = ["CreatedAt", "Version", "DynamicProperties"];

    public static NewNotification? Check(NotificationIn body, DateTimeOffset now, List<Problem> problems)
    {
        CheckType(body.ODataType, "notification", "@odata.type", problems);
        if (body.Id is not null)
        {
            problems.Add(new("readOnlyProperty", "'id' is assigned by the service and cannot be set.", "id"));
        }

        if (body.TargetHostName is null)
        {
            problems.Add(new("missingProperty", "'targetHostName' is required.", "targetHostName"));
        }
        else if (string.IsNullOrWhiteSpace(body.TargetHostName))
        {
            problems.Add(new("invalidValue", "'targetHostName' must name the app's host; it is empty.", "targetHostName"));
        }

        Length(body.TargetHostName, 255, "targetHostName", problems);
        Length(body.GroupName, 255, "groupName", problems);

        if (body.Payload is not { } payload)
        {
            problems.Add(new("missingProperty", "'payload' is required.", "payload"));
        }
        else
        {
            CheckType(payload.ODataType, "payloadTypes", "payload/@odata.type", problems);
            Closed(payload.Others, "payload", problems);
            Length(payload.RawContent, 32 * 1024, "payload/rawContent", problems);
            if (string.IsNullOrEmpty(payload.RawContent) && payload.VisualContent is null)
            {
                problems.Add(new("missingProperty", "'payload' must carry 'rawContent' or 'visualContent' (or both).", "payload"));
            }

            if (payload.VisualContent is { } visual)
            {
                CheckType(visual.ODataType, "visualProperties", "payload/visualContent/@odata.type", problems);
                Closed(visual.Others, "payload/visualContent", problems);
                Length(visual.Title, 4 * 1024, "payload/visualContent/title", problems);
                Length(visual.Body, 4 * 1024, "payload/visualContent/body", problems);
                if (string.IsNullOrWhiteSpace(visual.Title))
                {
                    problems.Add(new("missingProperty", "'payload/visualContent/title' is required for a visual notification.", "payload/visualContent/title"));
                }
            }
        }

        int? priority = null;
        if (body.Priority is { } name)
        {
            int index = Array.IndexOf(PriorityNames, name);
            if (index < 0)
            {
                problems.Add(new("invalidValue", $"'priority' is \"{name}\", which is not a member of microsoft.graph.priority; use one of None, High, Low.", "priority"));
            }
            else
            {
                priority = index;
            }
        }

        if (body.DisplayTimeToLive is < 0)
        {
            problems.Add(new("invalidValue", $"'displayTimeToLive' is {body.DisplayTimeToLive}; it is a number of seconds and must not be negative.", "displayTimeToLive"));
        }

        List<string>? platforms = null;
        if (body.TargetPolicy is { } policy)
        {
            CheckType(policy.ODataType, "targetPolicyEndpoints", "targetPolicy/@odata.type", problems);
            Closed(policy.Others, "targetPolicy", problems);
            platforms = CheckPlatforms(policy.PlatformTypes, problems);
        }

        DateTimeOffset? expires = null;
        if (body.ExpirationDateTime is { } expiry)
        {
            if (!DateTimeShape().IsMatch(expiry) || !DateTimeOffset.TryParse(expiry, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                problems.Add(new("invalidValue", $"'expirationDateTime' is \"{expiry}\"; it must be an ISO 8601 date-time with a time zone, such as 2030-01-01T00:00:00Z.", "expirationDateTime"));
            }
            else if (parsed <= now)
            {
                problems.Add(new("invalidValue", $"'expirationDateTime' is {expiry}, which has passed; it must be in the future, at most 30 days ahead.", "expirationDateTime"));
            }
            else if (parsed > now + MaximumLifetime)
            {
                problems.Add(new("invalidValue", $"'expirationDateTime' is {expiry}; it can be at most 30 days ahead (Graph's maximum). Omit it to get the maximum.", "expirationDateTime"));
            }
            else
            {
                expires = parsed;
            }
        }

        var dynamic = CheckDynamic(body.Others, problems);
        return problems.Count > 0
            ? null
            : new NewNotification(body.TargetHostName!, expires, body.Payload!.RawContent, body.Payload.VisualContent?.Title,
                body.Payload.VisualContent?.Body, body.DisplayTimeToLive, priority, body.GroupName, platforms, dynamic);
    }

    private static List<string>? CheckPlatforms(List<string?>? platforms, List<Problem> problems)
    {
        if (platforms is null)
        {
            return null;
        }

        if (platforms.Count > 16)
        {
            problems.Add(new("invalidValue", $"'targetPolicy/platformTypes' names {platforms.Count} platforms; at most 16.", "targetPolicy/platformTypes"));
        }

        for (int i = 0; i < platforms.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(platforms[i]))
            {
                problems.Add(new("invalidValue", "Each entry of 'targetPolicy/platformTypes' must name a platform, such as windows, ios, android or webpush.", $"targetPolicy/platformTypes/{i}"));
            }
            else
            {
                Length(platforms[i], 64, $"targetPolicy/platformTypes/{i}", problems);
            }
        }

        return platforms!;
    }

    /// <summary>Undeclared members of the open entity type: primitives under a valid, unreserved name.</summary>
    private static Dictionary<string, JsonElement>? CheckDynamic(Dictionary<string, JsonElement>? others, List<Problem> problems)
    {
        if (others is null)
        {
            return null;
        }

        Dictionary<string, JsonElement>? dynamic = null;
        foreach (var (name, value) in others)
        {
            if (name.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }

            if (DeclaredNames.FirstOrDefault(d => string.Equals(d, name, StringComparison.OrdinalIgnoreCase)) is { } similar)
            {
                problems.Add(new("unknownProperty", $"microsoft.graph.notification has no property '{name}'. Property names are case-sensitive: did you mean '{similar}'?", name));
            }
            else if (!DynamicName().IsMatch(name))
            {
                problems.Add(new("invalidValue", $"'{name}' is not a valid property name: use letters, digits and '_' (at most 128), starting with a letter or '_'.", name));
            }
            else if (ReservedNames.Contains(name, StringComparer.Ordinal))
            {
                problems.Add(new("invalidValue", $"'{name}' is reserved by the service and cannot be used as a property name.", name));
            }
            else if (value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 1024)
            {
                problems.Add(new("invalidValue", $"'{name}' has {value.GetString()!.Length} characters; at most 1024.", name));
            }
            else if (value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            {
                (dynamic ??= new(StringComparer.Ordinal))[name] = value;
            }
            else if (value.ValueKind != JsonValueKind.Null)
            {
                problems.Add(new("invalidValue", $"'{name}' is not declared by microsoft.graph.notification, so it is kept as a dynamic property, and those must be a string, a number or a boolean.", name));
            }
        }

        if (dynamic?.Count > 16)
        {
            problems.Add(new("invalidValue", $"The body carries {dynamic.Count} undeclared (dynamic) properties; at most 16.", null));
        }

        return dynamic;
    }

    /// <summary>Complex types are closed: any undeclared member (annotations aside) is refused.</summary>
    private static void Closed(Dictionary<string, JsonElement>? others, string path, List<Problem> problems)
    {
        foreach (string name in others?.Keys ?? Enumerable.Empty<string>())
        {
            if (!name.Contains('@', StringComparison.Ordinal))
            {
                problems.Add(new("unknownProperty", $"'{path}' has no property '{name}'.", $"{path}/{name}"));
            }
        }
    }

    /// <summary><c>@odata.type</c> may name the declared type, with or without <c>#</c>, namespace- or alias-qualified.</summary>
    private static void CheckType(JsonElement? annotation, string typeName, string target, List<Problem> problems)
    {
        if (annotation is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        string? sent = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        string name = sent is not null && sent.StartsWith('#') ? sent[1..] : sent ?? string.Empty;
        if (name != "microsoft.graph." + typeName && name != "graph." + typeName)
        {
            problems.Add(new("invalidType", $"'@odata.type' is '{sent}', but this value must be of type microsoft.graph.{typeName}.", target));
        }
    }

    private static void Length(string? text, int max, string target, List<Problem> problems)
    {
        if (text is not null && text.Length > max)
        {
            problems.Add(new("invalidValue", $"'{target}' has {text.Length} characters; at most {max}.", target));
        }
    }

    [GeneratedRegex(@"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex DateTimeShape();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex DynamicName();
}
