using GraphNotifications.Api.Resources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// Every answer that is one notification carries its <c>ETag</c> header, and a <c>GET</c> whose
/// <c>If-None-Match</c> names the current tag (or <c>*</c>) is a <c>304 Not Modified</c> without a body. Working on
/// the action's result keeps this out of every action that returns a notification.
/// </summary>
public sealed class NotificationETagFilter : IResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is not ObjectResult { Value: Notification { Version: > 0 } notification } result
            || result.StatusCode is >= 300)
        {
            return;
        }

        var http = context.HttpContext;
        http.Response.Headers.ETag = NotificationETags.Format(notification.Version);
        if (HttpMethods.IsGet(http.Request.Method)
            && NotificationETags.TryParse(http.Request.Headers.IfNoneMatch, out var condition)
            && condition?.Matches(notification.Version) == true)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status304NotModified);
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
