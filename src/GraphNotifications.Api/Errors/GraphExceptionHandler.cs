using Microsoft.AspNetCore.Diagnostics;
using GraphNotifications.Api.Querying;
using Microsoft.OData;

namespace GraphNotifications.Api.Errors;

/// <summary>
/// Turns what escaped a handler into a Graph error. Failures of the client's request (unreadable body, a body too
/// large, an OData payload the reader refuses) are 4xx; anything else is the service's fault: a 500 that names no
/// internals, logged with the request-id.
/// </summary>
public sealed partial class GraphExceptionHandler(ILogger<GraphExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        var error = exception switch
        {
            BadHttpRequestException bad => new GraphError(bad.StatusCode, GraphErrorCodes.ForStatus(bad.StatusCode), bad.Message),
            ODataException odata => GraphError.BadRequest(odata.Message),
            QueryNotSupportedException query => new GraphError(StatusCodes.Status501NotImplemented, GraphErrorCodes.NotImplemented, query.Message),
            _ => null,
        };

        if (error is null)
        {
            LogUnhandled(logger, exception);
            error = new GraphError(
                StatusCodes.Status500InternalServerError,
                GraphErrorCodes.InternalServerError,
                GraphErrorCodes.DefaultMessage(StatusCodes.Status500InternalServerError));
        }

        await GraphErrorWriter.WriteAsync(httpContext, error);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
