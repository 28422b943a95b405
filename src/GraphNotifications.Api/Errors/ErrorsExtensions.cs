using Microsoft.AspNetCore.Diagnostics;

namespace GraphNotifications.Api.Errors;

public static class ErrorsExtensions
{
    public static IServiceCollection AddGraphErrors(this IServiceCollection services) =>
        services.AddExceptionHandler<GraphExceptionHandler>();

    /// <summary>
    /// Every error leaves as a Graph error: exceptions through <see cref="GraphExceptionHandler"/>, and statuses the
    /// framework sets without a body (404 for unknown paths, 405, 406, 415) through the status-code pages.
    /// </summary>
    public static IApplicationBuilder UseGraphErrors(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Reached only when no IExceptionHandler took the exception.
            ExceptionHandler = context => GraphErrorWriter.WriteAsync(context, new GraphError(
                StatusCodes.Status500InternalServerError,
                GraphErrorCodes.InternalServerError,
                GraphErrorCodes.DefaultMessage(StatusCodes.Status500InternalServerError))),
        });
        app.UseStatusCodePages(context =>
        {
            int status = context.HttpContext.Response.StatusCode;
            return GraphErrorWriter.WriteAsync(context.HttpContext,
                new GraphError(status, GraphErrorCodes.ForStatus(status), GraphErrorCodes.DefaultMessage(status)));
        });
        return app;
    }
}
