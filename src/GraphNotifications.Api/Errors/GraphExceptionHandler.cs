using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Storage.ChangeLog;
using Microsoft.OData;

namespace GraphNotifications.Api.Errors;

/// <summary>
/// Turns what escaped a handler into a Graph error. Failures of the client's request (unreadable body, a body too
/// large, an OData payload the reader refuses) are 4xx; a store that cannot take the request now (full, read-only,
/// unreachable: <see cref="StoreUnavailability"/>) is a 503 with <c>Retry-After</c>, since retrying can succeed; anything
/// else is the service's fault: a 500 that names no internals, logged with the request-id.
/// </summary>
public sealed partial class GraphExceptionHandler(ILogger<GraphExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Long enough for an operator to free space or fail over; short enough that a client's retry is not lost.</summary>
    public const int StoreRetryAfterSeconds = 10;

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
            ChangeLogOrderConflictException conflict => new GraphError(StatusCodes.Status409Conflict, GraphErrorCodes.Conflict,
                $"{conflict.Message} Send the request again."),
            _ when StoreUnavailability.IsUnavailable(exception) => GraphError.StoreUnavailable,
            _ => null,
        };

        if (error == GraphError.StoreUnavailable)
        {
            LogStoreUnavailable(logger, exception);
            httpContext.Response.Headers.RetryAfter = StoreRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store cannot take requests now; answered 503")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
