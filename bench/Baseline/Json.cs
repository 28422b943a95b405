using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GraphNotifications.Bench.Baseline;

/// <summary>A notification as a client posts it. Undeclared members land in <see cref="Others"/>: dynamic properties, or mistakes.</summary>
public sealed class NotificationIn
{
    [JsonPropertyName("@odata.type")]
    public JsonElement? ODataType { get; set; }

    [JsonPropertyName("id")]
    public JsonElement? Id { get; set; }

    [JsonPropertyName("targetHostName")]
    public string? TargetHostName { get; set; }

    [JsonPropertyName("expirationDateTime")]
    public string? ExpirationDateTime { get; set; }

    [JsonPropertyName("payload")]
    public PayloadIn? Payload { get; set; }

    [JsonPropertyName("displayTimeToLive")]
    public int? DisplayTimeToLive { get; set; }

    [JsonPropertyName("priority")]
    public string? Priority { get; set; }

    [JsonPropertyName("groupName")]
    public string? GroupName { get; set; }

    [JsonPropertyName("targetPolicy")]
    public TargetPolicyIn? TargetPolicy { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Others { get; set; }
}

public sealed class PayloadIn
{
    [JsonPropertyName("@odata.type")]
    public JsonElement? ODataType { get; set; }

    [JsonPropertyName("rawContent")]
    public string? RawContent { get; set; }

    [JsonPropertyName("visualContent")]
    public VisualIn? VisualContent { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Others { get; set; }
}

public sealed class VisualIn
{
    [JsonPropertyName("@odata.type")]
    public JsonElement? ODataType { get; set; }

    [JsonPropertyName("title")]
    public string? Title { get; set; }

    [JsonPropertyName("body")]
    public string? Body { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Others { get; set; }
}

public sealed class TargetPolicyIn
{
    [JsonPropertyName("@odata.type")]
    public JsonElement? ODataType { get; set; }

    [JsonPropertyName("platformTypes")]
    public List<string?>? PlatformTypes { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Others { get; set; }
}

/// <summary>The body of <c>POST …/$ref</c>.</summary>
public sealed class ReferenceIn
{
    [JsonPropertyName("@odata.id")]
    public string? ODataId { get; set; }
}

/// <summary>A notification as the service writes it (OData JSON, minimal metadata, members in the service's order).</summary>
public sealed class NotificationOut
{
    [JsonPropertyName("@odata.context")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ODataContext { get; set; }

    [JsonPropertyName("@odata.type")]
    public string ODataType { get; } = "#microsoft.graph.notification";

    [JsonPropertyName("@odata.etag")]
    public required string ETag { get; init; }

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("displayTimeToLive")]
    public int? DisplayTimeToLive { get; init; }

    [JsonPropertyName("expirationDateTime")]
    public required string ExpirationDateTime { get; init; }

    [JsonPropertyName("groupName")]
    public string? GroupName { get; init; }

    [JsonPropertyName("priority")]
    public string? Priority { get; init; }

    [JsonPropertyName("targetHostName")]
    public required string TargetHostName { get; init; }

    [JsonPropertyName("payload")]
    public required PayloadOut Payload { get; init; }

    [JsonPropertyName("targetPolicy")]
    public TargetPolicyOut? TargetPolicy { get; init; }

    /// <summary>Dynamic properties; written after the declared ones.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Dynamic { get; set; }
}

public sealed class PayloadOut
{
    [JsonPropertyName("@odata.type")]
    public string ODataType { get; } = "#microsoft.graph.payloadTypes";

    [JsonPropertyName("rawContent")]
    public string? RawContent { get; init; }

    [JsonPropertyName("visualContent")]
    public VisualOut? VisualContent { get; init; }
}

public sealed class VisualOut
{
    [JsonPropertyName("@odata.type")]
    public string ODataType { get; } = "#microsoft.graph.visualProperties";

    [JsonPropertyName("body")]
    public string? Body { get; init; }

    [JsonPropertyName("title")]
    public string? Title { get; init; }
}

public sealed class TargetPolicyOut
{
    [JsonPropertyName("@odata.type")]
    public string ODataType { get; } = "#microsoft.graph.targetPolicyEndpoints";

    [JsonPropertyName("platformTypes")]
    public List<string>? PlatformTypes { get; init; }
}

public sealed class PageOut
{
    [JsonPropertyName("@odata.context")]
    public required string ODataContext { get; init; }

    [JsonPropertyName("value")]
    public required List<NotificationOut> Value { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.General, MaxDepth = 32)]
[JsonSerializable(typeof(NotificationIn))]
[JsonSerializable(typeof(ReferenceIn))]
[JsonSerializable(typeof(NotificationOut))]
[JsonSerializable(typeof(PageOut))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
public sealed partial class BaselineJson : JsonSerializerContext
{
    /// <summary>Writes what the service writes: quotes as <c>\"</c> and non-ASCII as it is, not as <c>\u</c> escapes.</summary>
    public static BaselineJson Relaxed { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.General)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 32,
    });
}
