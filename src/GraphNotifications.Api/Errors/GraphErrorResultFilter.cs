using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.OData;

namespace GraphNotifications.Api.Errors;

/// <summary>
/// Rewrites error results that MVC or AspNetCoreOData produce on their own (model-binding failures, OData errors,
/// problem details) into Graph errors, so that no other error shape leaves the service.
/// </summary>
public sealed class GraphErrorResultFilter : IAlwaysRunResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is ObjectResult { StatusCode: >= 400 } result && result.Value is not GraphError)
        {
            int status = result.StatusCode.Value;
            context.Result = new GraphErrorResult(new GraphError(status, GraphErrorCodes.ForStatus(status), MessageOf(result.Value, status)));
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }

    private static string MessageOf(object? value, int status) => value switch
    {
        string text when text.Length > 0 => text,
        ODataError odata when !string.IsNullOrEmpty(odata.Message) => odata.Message,
        ProblemDetails problem when !string.IsNullOrEmpty(problem.Detail) => problem.Detail,
        SerializableError errors => string.Join(" ", errors.Values.OfType<string[]>().SelectMany(m => m)),
        _ => GraphErrorCodes.DefaultMessage(status),
    };
}
