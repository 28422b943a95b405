using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Errors;

namespace GraphNotifications.Api.Validation;

/// <summary>
/// How much text a notification may carry (docs/api.md lists the figures). A notification is shown to people on
/// small screens; these bounds keep one app from filling a feed, or the store, with a single request.
/// </summary>
public static class PropertyLimits
{
    public const int MaxTargetHostName = 255;
    public const int MaxGroupName = 255;
    public const int MaxTitle = 4 * 1024;
    public const int MaxBody = 4 * 1024;
    public const int MaxRawContent = 32 * 1024;
    public const int MaxPlatformTypes = 16;
    public const int MaxPlatformType = 64;
    public const int MaxDynamicProperties = 16;
    public const int MaxDynamicString = 1024;

    private static readonly (string[] Path, int Max)[] Lengths =
    [
        (["targetHostName"], MaxTargetHostName),
        (["groupName"], MaxGroupName),
        (["payload", "rawContent"], MaxRawContent),
        (["payload", "visualContent", "title"], MaxTitle),
        (["payload", "visualContent", "body"], MaxBody),
    ];

    public static void Check(JsonObject notification, List<GraphErrorDetail> problems)
    {
        foreach (var (path, max) in Lengths)
        {
            if (At(notification, path) is { } text && text.Length > max)
            {
                problems.Add(TooLong(string.Join('/', path), text.Length, max));
            }
        }

        if (notification["targetPolicy"]?["platformTypes"] is JsonArray platforms)
        {
            if (platforms.Count > MaxPlatformTypes)
            {
                problems.Add(new(GraphErrorCodes.InvalidValue,
                    $"'targetPolicy/platformTypes' names {platforms.Count} platforms; at most {MaxPlatformTypes}.", "targetPolicy/platformTypes"));
            }

            for (int i = 0; i < platforms.Count; i++)
            {
                if (platforms[i] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > MaxPlatformType)
                {
                    problems.Add(TooLong($"targetPolicy/platformTypes/{i}", value.GetValue<string>().Length, MaxPlatformType));
                }
            }
        }
    }

    public static GraphErrorDetail TooLong(string target, int length, int max) =>
        new(GraphErrorCodes.InvalidValue, $"'{target}' has {length} characters; at most {max}.", target);

    private static string? At(JsonObject json, string[] path)
    {
        JsonNode? node = json;
        foreach (string step in path)
        {
            node = (node as JsonObject)?[step];
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
    }
}
