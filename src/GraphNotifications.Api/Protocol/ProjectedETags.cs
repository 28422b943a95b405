using GraphNotifications.Api.Resources;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// The versions of the notifications an answer writes through <c>$select</c>. AspNetCoreOData's projection keeps
/// EDM properties only, and the version behind a notification's entity tag is none (the contract does not show
/// it), so whoever shapes the answer leaves the versions here, by id, for <see cref="TypedResourceSerializer"/>:
/// a client that selected a few properties still gets the <c>@odata.etag</c> it needs for <c>If-Match</c>.
/// </summary>
public static class ProjectedETags
{
    private static readonly object Key = new();

    public static void Remember(HttpContext context, IEnumerable<Notification> notifications)
    {
        if (context.Items[Key] is not Dictionary<string, string> tags)
        {
            context.Items[Key] = tags = new(StringComparer.Ordinal);
        }

        foreach (var notification in notifications)
        {
            if (notification.Version > 0)
            {
                tags[notification.Id] = NotificationETags.Of(notification);
            }
        }
    }

    /// <summary>The entity tag of the notification with this id, when the answer's reader remembered it.</summary>
    public static string? Find(HttpContext? context, object? id) =>
        context?.Items[Key] is Dictionary<string, string> tags && id is string key && tags.TryGetValue(key, out string? tag)
            ? tag
            : null;
}
