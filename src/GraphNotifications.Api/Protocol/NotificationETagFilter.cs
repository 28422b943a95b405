using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Resources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Net.Http.Headers;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// Every answer that is one notification carries its <c>ETag</c> header. A <c>GET</c> whose <c>If-Match</c> does not
/// name the current tag is a <c>412</c>; one whose <c>If-None-Match</c> names it (or is <c>*</c>) is a
/// <c>304 Not Modified</c> without a body. Working on
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
        string tag = NotificationETags.Of(notification);
        http.Response.Headers.ETag = tag;
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            return;
        }

        // If-Match first, as RFC 9110 (13.2.2) orders them: a client that asks for this version only must not be
        // handed another one as if it were.
        if (!NotificationETags.TryParse(http.Request.Headers.IfMatch, out var ifMatch))
        {
            context.Result = new GraphErrorResult(EntityTagPreconditions.Malformed(HeaderNames.IfMatch));
        }
        else if (ifMatch?.Matches(tag) == false)
        {
            context.Result = new GraphErrorResult(EntityTagPreconditions.Unmet(HeaderNames.IfMatch));
        }
        else if (NotificationETags.TryParse(http.Request.Headers.IfNoneMatch, out var ifNoneMatch)
            && ifNoneMatch?.Matches(tag) == true)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status304NotModified);
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
