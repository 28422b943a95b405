using GraphNotifications.Api.Resources;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.OData.Results;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// Turns an action's <c>Created(notification)</c> into the answer the <c>return</c> preference asks for
/// (<see cref="NotificationAnswers.Created"/>). AspNetCoreOData's own result looks for "return=minimal" anywhere in
/// <c>Prefer</c> and never says which preference it applied; working on the result keeps every create route alike
/// without each action knowing about preferences.
/// </summary>
public sealed class CreatedAnswerFilter : IResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is CreatedODataResult<Notification> created)
        {
            context.Result = NotificationAnswers.Created(context.HttpContext.Request, created.Entity);
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
