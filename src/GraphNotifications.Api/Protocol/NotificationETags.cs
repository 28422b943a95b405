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

    public bool Matches(long version)
    {
        var current = EntityTagHeaderValue.Parse(NotificationETags.Format(version));
        return _tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
    }
}
