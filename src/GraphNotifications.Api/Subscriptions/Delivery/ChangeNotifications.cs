using System.Globalization;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage.ChangeLog;

namespace GraphNotifications.Api.Subscriptions.Delivery;

/// <summary>
/// Graph's change notification collection, <c>{"value": [changeNotification, …]}</c>, one item per change-log entry,
/// and its lifecycle notification. Without resource data (includeResourceData is not offered): the app reads the
/// notification itself at <c>resource</c>.
/// </summary>
internal static class ChangeNotifications
{
    /// <summary>Whether the subscription hears of the entry: its change types, and its targetHostName filter if any.</summary>
    public static bool Selects(Subscription subscription, ChangeLogEntry entry)
    {
        string changeType = ChangeTypeOf(entry);
        bool wanted = subscription.ChangeType.Split(',', StringSplitOptions.TrimEntries).Contains(changeType, StringComparer.Ordinal);
        return wanted && (subscription.TargetHostNameFilter is null || subscription.TargetHostNameFilter == entry.TargetHostName);
    }

    public static JsonObject Collection(Subscription subscription, IEnumerable<ChangeLogEntry> entries) => new()
    {
        ["value"] = new JsonArray(entries.Select(e => (JsonNode)Item(subscription, e)).ToArray()),
    };

    /// <summary>Graph's <c>subscriptionRemoved</c> lifecycle notification: the app must create the subscription again, or renew it here.</summary>
    public static JsonObject Removed(Subscription subscription) => new()
    {
        ["value"] = new JsonArray(new JsonObject
        {
            ["subscriptionId"] = subscription.Id,
            ["subscriptionExpirationDateTime"] = Instant(subscription.ExpirationDateTime),
            ["tenantId"] = subscription.TenantId,
            ["clientState"] = subscription.ClientState,
            ["lifecycleEvent"] = "subscriptionRemoved",
        }),
    };

    private static JsonObject Item(Subscription subscription, ChangeLogEntry entry)
    {
        string resource = $"users/{Uri.EscapeDataString(entry.UserId)}/notifications/{entry.NotificationId}";
        return new JsonObject
        {
            ["subscriptionId"] = subscription.Id,
            ["clientState"] = subscription.ClientState,
            ["changeType"] = ChangeTypeOf(entry),
            ["resource"] = resource,
            ["resourceData"] = new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.notification",
                ["@odata.id"] = resource,
                ["id"] = entry.NotificationId,
            },
            ["subscriptionExpirationDateTime"] = Instant(subscription.ExpirationDateTime),
            ["tenantId"] = subscription.TenantId,
        };
    }

    private static string ChangeTypeOf(ChangeLogEntry entry) => entry.ChangeType switch
    {
        FeedChangeType.Created => "created",
        FeedChangeType.Updated => "updated",
        _ => "deleted",
    };

    private static string Instant(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture);
}
