using System.Globalization;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// A notification's entity tag: <c>W/"&lt;version&gt;"</c>, from the store's concurrency token
/// (<see cref="Resources.Notification.Version"/>, 1 at creation, raised by every update). It is weak, as Graph's and
/// OData's are: it names a version of the notification, not the bytes of one representation of it. Conditions
/// compare tags by their opaque part (weak comparison), so <c>W/"3"</c> and <c>"3"</c> both match version 3.
/// </summary>
public static class NotificationETags
{
    public static string Format(long version) => $"W/\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The tag of a notification as one recipient's feed shows it: <c>W/"&lt;version&gt;.&lt;state version&gt;"</c>,
    /// so that a change to the content or to that recipient's state makes it stale. A <paramref name="stateVersion"/>
    /// of 0 (read outside a feed) gives the content's tag alone.
    /// </summary>
    public static string Format(long version, long stateVersion) => stateVersion > 0
        ? $"W/\"{version.ToString(CultureInfo.InvariantCulture)}.{stateVersion.ToString(CultureInfo.InvariantCulture)}\""
        : Format(version);

    /// <summary>The tag of a notification as it was read: through a feed, or through <c>/notifications</c>.</summary>
    public static string Of(Resources.Notification notification) => Format(notification.Version, notification.StateVersion);

    /// <summary>
    /// Reads an <c>If-Match</c> or <c>If-None-Match</c> header. False when it is present but not a list of entity
    /// tags or <c>*</c>; <paramref name="condition"/> is null when the header is absent.
    /// </summary>
    public static bool TryParse(StringValues header, out ETagCondition? condition)
    {
        condition = null;
        if (StringValues.IsNullOrEmpty(header))
        {
            return true;
        }

        if (!EntityTagHeaderValue.TryParseStrictList(header, out var tags) || tags.Count == 0)
        {
            return false;
        }

        condition = new ETagCondition(tags);
        return true;
    }
}

/// <summary>The entity tags of a precondition header; <c>*</c> matches any existing notification.</summary>
public sealed class ETagCondition(IEnumerable<EntityTagHeaderValue> tags)
{
    private readonly List<EntityTagHeaderValue> _tags = [.. tags];

    public bool Matches(long version) => Matches(NotificationETags.Format(version));

    /// <summary>
    /// Whether the condition holds for the entity whose current tag is <paramref name="currentTag"/>. Where the
    /// current tag is the content's alone (read through <c>/notifications</c>), a feed's tag names the content by its
    /// first part: <c>W/"3.7"</c> holds for <c>W/"3"</c>, as only the content is checked there.
    /// </summary>
    public bool Matches(string currentTag)
    {
        var current = EntityTagHeaderValue.Parse(currentTag);
        bool contentOnly = !current.Tag.AsSpan().Contains('.');
        return _tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false)
            || (contentOnly && ContentPart(tag) is { } content && content.Compare(current, useStrongComparison: false)));
    }

    /// <summary>The content's tag within a feed's tag (<c>"3"</c> of <c>W/"3.7"</c>), or null for another tag.</summary>
    private static EntityTagHeaderValue? ContentPart(EntityTagHeaderValue tag)
    {
        var opaque = tag.Tag.AsSpan().Trim('"');
        int dot = opaque.IndexOf('.');
        return dot > 0 ? new EntityTagHeaderValue($"\"{opaque[..dot]}\"", isWeak: true) : null;
    }
}
