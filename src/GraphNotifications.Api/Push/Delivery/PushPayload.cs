using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage.Push;

namespace GraphNotifications.Api.Push.Delivery;

/// <summary>
/// What a push carries, as small JSON a service worker shows without asking the service: for a show,
/// <c>{"action":"show","id","title","body","priority","group","displayTimeToLive","url"}</c>; for a close,
/// <c>{"action":"close","id"}</c>. <c>url</c> is the notification in the user's feed, relative to the service's origin,
/// for reading the whole of it.
/// </summary>
internal static class PushPayload
{
    /// <summary>
    /// The most UTF-8 bytes of JSON a push carries: push services accept 4,096 bytes of encrypted body, and aes128gcm
    /// adds its 86-byte header (RFC 8291 §4), a padding delimiter and a 16-byte tag.
    /// </summary>
    public const int MaxBytes = 4096 - 86 - 1 - 16;

    private const string Ellipsis = "…";

    public static string Show(Notification notification) => Fit(
        notification.Payload.VisualContent?.Title ?? string.Empty,
        notification.Payload.VisualContent?.Body ?? string.Empty,
        (title, body) => new JsonObject
        {
            ["action"] = "show",
            ["id"] = notification.Id,
            ["title"] = title,
            ["body"] = body,
            ["priority"] = (notification.Priority ?? Priority.None).ToString(),
            ["group"] = notification.GroupName,
            ["displayTimeToLive"] = notification.DisplayTimeToLive,
            ["url"] = $"/v1.0/me/notifications/{Uri.EscapeDataString(notification.Id)}",
        });

    public static string Close(string notificationId) => new JsonObject { ["action"] = "close", ["id"] = notificationId }.ToJsonString();

    /// <summary>The JSON with title and body whole, or cut (the longer first) and ended with an ellipsis until it fits.</summary>
    private static string Fit(string title, string body, Func<string, string, JsonObject> build)
    {
        string json = build(title, body).ToJsonString();
        // The other properties are short (PropertyLimits): with title and body empty it fits.
        while (Encoding.UTF8.GetByteCount(json) > MaxBytes && (title.Length > 0 || body.Length > 0))
        {
            int excess = Encoding.UTF8.GetByteCount(json) - MaxBytes;
            if (body.Length >= title.Length)
            {
                body = Cut(body, excess);
            }
            else
            {
                title = Cut(title, excess);
            }

            json = build(title, body).ToJsonString();
        }

        return json;
    }

    /// <summary>
    /// <paramref name="text"/> shorter by at least <paramref name="excess"/> characters (one character is at least one
    /// byte, and at most six once escaped in JSON, so the loop ends quickly), never splitting a surrogate pair.
    /// </summary>
    private static string Cut(string text, int excess)
    {
        string whole = text.EndsWith(Ellipsis, StringComparison.Ordinal) ? text[..^Ellipsis.Length] : text;
        int keep = Math.Max(0, whole.Length - Math.Max(1, excess / 6) - Ellipsis.Length);
        if (keep > 0 && char.IsHighSurrogate(whole[keep - 1]))
        {
            keep--;
        }

        return keep == 0 ? string.Empty : whole[..keep] + Ellipsis;
    }

    /// <summary>Web Push's Urgency (RFC 8030 §5.3) for a notification's priority.</summary>
    public static Lib.Net.Http.WebPush.PushMessageUrgency UrgencyOf(Priority? priority) => priority switch
    {
        Priority.High => Lib.Net.Http.WebPush.PushMessageUrgency.High,
        Priority.Low => Lib.Net.Http.WebPush.PushMessageUrgency.Low,
        _ => Lib.Net.Http.WebPush.PushMessageUrgency.Normal,
    };

    public static string Describe(PushKind kind) => kind.ToString().ToLower(CultureInfo.InvariantCulture);
}
