using GraphNotifications.Api.Resources;
using Microsoft.AspNetCore.Mvc;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// The answer to a create or an update of a notification, as the request's <c>return</c> preference asks
/// (OData 4.01 Part 1, 8.2.8.7 and 11.4). Under <c>return=minimal</c> both are a 204 that names the notification by its
/// canonical URL in <c>Location</c> and <c>OData-EntityId</c>; under <c>return=representation</c> both carry it. Each
/// honored preference is listed in <c>Preference-Applied</c>, and every answer carries the notification's ETag.
/// </summary>
public static class NotificationAnswers
{
    public const string EntityIdHeader = "OData-EntityId";

    /// <summary>201 with the notification (the default), or 204 under <c>return=minimal</c>.</summary>
    public static IActionResult Created(HttpRequest request, Notification notification)
    {
        var preference = ReturnPreferences.Of(request);
        var response = request.HttpContext.Response;
        response.Headers.ETag = NotificationETags.Of(notification);
        response.Headers.Location = ServiceRoot.NotificationUrl(request, notification.Id).AbsoluteUri;
        if (preference == ReturnPreference.Minimal)
        {
            return Minimal(request, notification);
        }

        if (preference == ReturnPreference.Representation)
        {
            PreferenceApplied.Add(response, ReturnPreferences.Representation);
        }

        return new ObjectResult(notification) { StatusCode = StatusCodes.Status201Created };
    }

    /// <summary>204 (the default, and under <c>return=minimal</c>), or 200 with the notification under <c>return=representation</c>.</summary>
    public static IActionResult Updated(HttpRequest request, Notification notification)
    {
        var preference = ReturnPreferences.Of(request);
        var response = request.HttpContext.Response;
        response.Headers.ETag = NotificationETags.Of(notification);
        switch (preference)
        {
            case ReturnPreference.Minimal:
                response.Headers.Location = ServiceRoot.NotificationUrl(request, notification.Id).AbsoluteUri;
                return Minimal(request, notification);
            case ReturnPreference.Representation:
                PreferenceApplied.Add(response, ReturnPreferences.Representation);
                return new OkObjectResult(notification);
            default:
                return new NoContentResult();
        }
    }

    private static NoContentResult Minimal(HttpRequest request, Notification notification)
    {
        var response = request.HttpContext.Response;
        response.Headers[EntityIdHeader] = ServiceRoot.NotificationUrl(request, notification.Id).AbsoluteUri;
        PreferenceApplied.Add(response, ReturnPreferences.Minimal);
        return new NoContentResult();
    }
}
