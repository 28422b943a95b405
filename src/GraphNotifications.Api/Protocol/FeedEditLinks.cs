using GraphNotifications.Api.Resources;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Formatter;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// The edit link of an item read through a user's feed: the feed's own path (<c>me/notifications/{id}</c>,
/// <c>users/{user}/notifications/{id}</c>), where a client PATCHes that recipient's state. The item's identity
/// (<c>@odata.id</c>) stays <c>notifications('{id}')</c>. A feed's action remembers which feed it answers
/// (<see cref="Remember"/>): a delta page is written as the entity set, so the request's path cannot tell.
/// </summary>
public static class FeedEditLinks
{
    private static readonly object Key = new();

    /// <param name="routeUserId">The id in <c>/users/{id}</c>, or null for <c>/me</c>.</param>
    public static void Remember(HttpContext http, string? routeUserId) =>
        http.Items[Key] = routeUserId is null ? "me/notifications" : UserFeed(routeUserId);

    /// <summary>The feed's path the request answers (relative to the service root), or null outside a feed.</summary>
    public static string? Current(HttpContext http) => http.Items[Key] as string;

    /// <summary>The edit link of the notification <paramref name="id"/> as the answer shows it, or null outside a feed.</summary>
    public static Uri? Of(ResourceContext context, string id)
    {
        var request = context.Request;
        if (request is null)
        {
            return null;
        }

        string? feed = context.SerializerContext.ExpandedResource is { StructuredType: IEdmEntityType { Name: "user" } } parent
            ? ExpandedFeed(request, parent)
            : Current(request.HttpContext);
        return feed is null
            ? null
            : new Uri(ServiceRoot.Of(request), $"{feed}/{Uri.EscapeDataString(id)}");
    }

    /// <summary>The feed of the user a notification is expanded under: <c>/me</c>'s own, or that user's.</summary>
    private static string? ExpandedFeed(HttpRequest request, ResourceContext user)
    {
        if (request.ODataFeature().Path?.FirstSegment is SingletonSegment)
        {
            return "me/notifications";
        }

        return user.ResourceInstance is User { Id: { } id } ? UserFeed(id)
            : user.EdmObject.TryGetPropertyValue("id", out object? value) && value is string key ? UserFeed(key)
            : null;
    }

    private static string UserFeed(string userId) => $"users/{Uri.EscapeDataString(userId)}/notifications";
}
