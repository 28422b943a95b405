using Microsoft.AspNetCore.Mvc;

namespace GraphNotifications.Api.Errors;

/// <summary>Lets a controller answer with a <see cref="GraphError"/>.</summary>
public sealed class GraphErrorResult(GraphError error) : IActionResult
{
    public GraphError Error { get; } = error;

    public Task ExecuteResultAsync(ActionContext context) => GraphErrorWriter.WriteAsync(context.HttpContext, Error);
}
