using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Resources;

namespace GraphNotifications.Api.Validation;

/// <summary>
/// Graph's documented rules for a notification, beyond its types. They read a body that
/// <see cref="ResourceBodyValidator"/> has written anew, so a value of the wrong type is already reported and
/// simply absent here.
/// </summary>
public static class NotificationRules
{
    /// <summary>Graph's maximum lifetime of a notification, and its default when none is sent.</summary>
    public static readonly TimeSpan MaximumLifetime = TimeSpan.FromDays(30);

    /// <summary>Checks a whole notification: a creation's body, or an update merged into the stored notification.</summary>
    public static void Check(JsonObject notification, DateTimeOffset now, List<GraphErrorDetail> problems) =>
        Check(notification, now, problems, BodyMode.Create);

    /// <summary>
    /// Checks a notification: with <see cref="BodyMode.Update"/>, only what a PATCH body can be judged on alone (a
    /// payload's completeness depends on the stored payload it is merged into, so it waits for the merged result).
    /// </summary>
    public static void Check(JsonObject notification, DateTimeOffset now, List<GraphErrorDetail> problems, BodyMode mode)
    {
        PropertyLimits.Check(notification, problems);

        if (Text(notification, "targetHostName") is { } host && string.IsNullOrWhiteSpace(host))
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, "'targetHostName' must name the app's host; it is empty.", "targetHostName"));
        }

        if (notification["payload"] is JsonObject payload)
        {
            CheckPayload(payload, mode, problems);
        }

        if (notification["targetPolicy"]?["platformTypes"] is JsonArray platforms)
        {
            CheckPlatforms(platforms, problems);
        }

        if (notification["displayTimeToLive"] is JsonValue ttl && ttl.TryGetValue<int>(out int seconds) && seconds < 0)
        {
            problems.Add(new(GraphErrorCodes.InvalidValue, $"'displayTimeToLive' is {seconds}; it is a number of seconds and must not be negative.", "displayTimeToLive"));
        }

        if (Text(notification, "expirationDateTime") is { } expiry && ODataDateTime.TryParse(expiry, out var expires))
        {
            if (expires <= now)
            {
                problems.Add(new(GraphErrorCodes.InvalidValue,
                    $"'expirationDateTime' is {expiry}, which has passed; it must be in the future, at most {MaximumLifetime.TotalDays:0} days ahead.",
                    "expirationDateTime"));
            }
            else if (expires > now + MaximumLifetime)
            {
                problems.Add(new(GraphErrorCodes.InvalidValue,
                    $"'expirationDateTime' is {expiry}; it can be at most {MaximumLifetime.TotalDays:0} days ahead (Graph's maximum). Omit it to get the maximum.",
                    "expirationDateTime"));
            }
        }
    }

    /// <summary>
    /// Checks a notification after an update: the stored notification with the PATCH body merged into it. It is
    /// written as JSON so that one set of rules judges creations and updates alike.
    /// </summary>
    public static void Check(Notification notification, DateTimeOffset now, List<GraphErrorDetail> problems) =>
        Check(ToJson(notification), now, problems, BodyMode.Create);

    private static JsonObject ToJson(Notification notification)
    {
        var json = new JsonObject
        {
            ["targetHostName"] = notification.TargetHostName,
            ["displayTimeToLive"] = notification.DisplayTimeToLive,
            ["expirationDateTime"] = notification.ExpirationDateTime?.ToString("O", CultureInfo.InvariantCulture),
        };
        if (notification.Payload is { } payload)
        {
            json["payload"] = new JsonObject
            {
                ["rawContent"] = payload.RawContent,
                ["visualContent"] = payload.VisualContent is { } visual
                    ? new JsonObject { ["title"] = visual.Title, ["body"] = visual.Body }
                    : null,
            };
        }

        if (notification.TargetPolicy?.PlatformTypes is { } platforms)
        {
            json["targetPolicy"] = new JsonObject { ["platformTypes"] = new JsonArray([.. platforms.Select(p => (JsonNode?)p)]) };
        }

        return json;
    }

    private static void CheckPayload(JsonObject payload, BodyMode mode, List<GraphErrorDetail> problems)
    {
        bool hasRaw = !string.IsNullOrEmpty(Text(payload, "rawContent"));
        var visual = payload["visualContent"] as JsonObject;
        if (mode == BodyMode.Create && !hasRaw && visual is null)
        {
            problems.Add(new(GraphErrorCodes.MissingProperty,
                "'payload' must carry 'rawContent' or 'visualContent' (or both).", "payload"));
        }

        // In an update, a visualContent without a title may be merged into one that has it.
        if (visual is not null && (mode == BodyMode.Create || visual.ContainsKey("title")) && string.IsNullOrWhiteSpace(Text(visual, "title")))
        {
            problems.Add(new(GraphErrorCodes.MissingProperty,
                "'payload/visualContent/title' is required for a visual notification.", "payload/visualContent/title"));
        }
    }

    // The contract lets collection elements be null; a platform list only makes sense with names in it.
    private static void CheckPlatforms(JsonArray platforms, List<GraphErrorDetail> problems)
    {
        for (int i = 0; i < platforms.Count; i++)
        {
            if (platforms[i] is null || (platforms[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(v.GetValue<string>())))
            {
                problems.Add(new(GraphErrorCodes.InvalidValue,
                    "Each entry of 'targetPolicy/platformTypes' must name a platform, such as windows, ios, android or webpush.",
                    $"targetPolicy/platformTypes/{i}"));
            }
        }
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
