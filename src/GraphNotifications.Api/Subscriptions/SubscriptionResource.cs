using System.Text.RegularExpressions;

namespace GraphNotifications.Api.Subscriptions;

/// <summary>
/// A subscription's <c>resource</c>: a user's notification feed, <c>me/notifications</c> or
/// <c>users/{id}/notifications</c>, optionally narrowed with <c>?$filter=targetHostName eq '…'</c>.
/// </summary>
public sealed partial record SubscriptionResource(string? UserId, string? TargetHostName)
{
    /// <summary>Whether the resource names the caller's own feed (<c>me</c>) rather than a user by id.</summary>
    public bool IsMe => UserId is null;

    public static SubscriptionResource? Parse(string resource)
    {
        var match = Shape().Match(resource);
        if (!match.Success)
        {
            return null;
        }

        string? userId = match.Groups["user"].Success ? Uri.UnescapeDataString(match.Groups["user"].Value) : null;
        if (userId is not null && (userId.Length == 0 || userId.Length > Storage.StorageColumns.MaxIdLength))
        {
            return null;
        }

        string? host = null;
        if (match.Groups["query"].Success)
        {
            var filter = Filter().Match(Uri.UnescapeDataString(match.Groups["query"].Value.Replace('+', ' ')));
            if (!filter.Success)
            {
                return null;
            }

            host = filter.Groups["host"].Value.Replace("''", "'", StringComparison.Ordinal);
        }

        return new SubscriptionResource(userId, host);
    }

    [GeneratedRegex(@"^/?(?:me|users/(?<user>[^/?('""]+)|users\('(?<user>[^/?']+)'\))/notifications(?:\?(?<query>.*))?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Shape();

    [GeneratedRegex(@"^\$filter=\s*targetHostName\s+eq\s+'(?<host>(?:[^']|'')*)'\s*$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Filter();
}
