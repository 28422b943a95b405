using GraphNotifications.Api.Errors;

namespace GraphNotifications.Api.Batch;

/// <summary>
/// <c>POST /{version}/$batch</c>: Graph's JSON batch. The batch itself is a request like any other (a token, the
/// body limit, the rate limiter, Graph errors); a malformed one is refused whole, before any of it runs. Otherwise
/// the answer is 200 whatever its requests answered, each answer in <c>responses</c>.
/// </summary>
internal static partial class BatchEndpoint
{
    public static async Task HandleAsync(HttpContext context, RequestDelegate pipeline, string version)
    {
        if (SubRequestContext.IsSubRequest(context))
        {
            await GraphErrorWriter.WriteAsync(context, GraphError.BadRequest("A batch cannot contain another batch."));
            return;
        }

        if (!SubRequestBody.IsJson(context.Request.ContentType))
        {
            await GraphErrorWriter.WriteAsync(context, new GraphError(StatusCodes.Status415UnsupportedMediaType, GraphErrorCodes.UnsupportedMediaType,
                "A batch is sent as JSON: Content-Type: application/json."));
            return;
        }

        var (requests, error) = await BatchRequestReader.ReadAsync(context.Request, context.RequestAborted);
        if (error is not null)
        {
            await GraphErrorWriter.WriteAsync(context, error);
            return;
        }

        var (units, planError) = BatchPlan.Create(requests!);
        if (planError is not null)
        {
            await GraphErrorWriter.WriteAsync(context, planError);
            return;
        }

        if (units!.Any(u => u.AtomicityGroup is not null) && !AtomicityGroupTransaction.IsSupported(context.RequestServices))
        {
            await GraphErrorWriter.WriteAsync(context, new GraphError(StatusCodes.Status501NotImplemented, GraphErrorCodes.NotImplemented,
                "atomicityGroup needs a store with transactions; this service runs on the in-memory store, which has none. Send the requests without atomicityGroup, or run on SQLite or PostgreSQL."));
            return;
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BatchEndpoint));
        var responses = await new BatchRunner(context, pipeline, version, logger).RunAsync(units!);
        LogBatch(logger, requests!.Count, responses.Values.Count(r => !BatchRunner.IsSuccess(r.Status)));
        await BatchResponseWriter.WriteAsync(context, requests!, responses);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch of {RequestCount} requests answered, {FailedCount} of them with an error")]
    private static partial void LogBatch(ILogger logger, int requestCount, int failedCount);
}
