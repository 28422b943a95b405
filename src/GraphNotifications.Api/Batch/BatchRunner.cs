using GraphNotifications.Api.Errors;

namespace GraphNotifications.Api.Batch;

/// <summary>
/// Runs a planned batch, one unit after another: each sub-request through the service's whole pipeline (so it
/// obeys every rule a direct request obeys: identity, validation, limits, ETags, errors), a unit whose
/// prerequisite failed not at all (424), and an atomicity group in one transaction that commits only when every
/// request of the group succeeded.
/// </summary>
internal sealed partial class BatchRunner(HttpContext outer, RequestDelegate pipeline, string version, ILogger logger)
{
    private readonly Dictionary<string, BatchResponseItem> _responses = new(StringComparer.OrdinalIgnoreCase);

    private CancellationToken Aborted => outer.RequestAborted;

    public async Task<IReadOnlyDictionary<string, BatchResponseItem>> RunAsync(IReadOnlyList<BatchUnit> units)
    {
        foreach (var unit in units)
        {
            // The plan puts every prerequisite in an earlier unit, so it has its answer already.
            var failed = unit.Prerequisites.Select(id => _responses[id]).FirstOrDefault(r => !IsSuccess(r.Status));
            if (failed is not null)
            {
                foreach (var request in unit.Requests)
                {
                    _responses[request.Id] = await AnswerAsync(request, FailedDependency(
                        $"Request '{request.Id}' was not run: it depends on request '{failed.Id}', which failed with status {failed.Status}."));
                }
            }
            else if (unit.AtomicityGroup is null)
            {
                _responses[unit.Requests[0].Id] = await SendAsync(unit.Requests[0], group: null);
            }
            else
            {
                await RunGroupAsync(unit);
            }
        }

        return _responses;
    }

    private async Task RunGroupAsync(BatchUnit unit)
    {
        var scopes = outer.RequestServices.GetRequiredService<IServiceScopeFactory>();
        await using var group = await AtomicityGroupTransaction.BeginAsync(scopes, Aborted);
        var succeeded = new List<BatchRequestItem>();
        BatchResponseItem? failed = null;
        foreach (var request in unit.Requests)
        {
            if (failed is not null)
            {
                _responses[request.Id] = await AnswerAsync(request, FailedDependency(
                    $"Request '{request.Id}' was not run: request '{failed.Id}' of its atomicityGroup '{unit.AtomicityGroup}' failed with status {failed.Status}."));
                continue;
            }

            var response = await SendAsync(request, group);
            _responses[request.Id] = response;
            if (IsSuccess(response.Status))
            {
                succeeded.Add(request);
            }
            else
            {
                failed = response;
            }
        }

        if (failed is null)
        {
            await group.CommitAsync(Aborted);
            return;
        }

        await group.RollbackAsync(Aborted);
        foreach (var request in succeeded)
        {
            _responses[request.Id] = await AnswerAsync(request, FailedDependency(
                $"Request '{request.Id}' was rolled back: request '{failed.Id}' of its atomicityGroup '{unit.AtomicityGroup}' failed with status {failed.Status}, and a group succeeds or fails as a whole."));
        }
    }

    private async Task<BatchResponseItem> SendAsync(BatchRequestItem request, AtomicityGroupTransaction? group)
    {
        var target = SubRequestTarget.Resolve(outer.Request, version, request.Url, out string? problem);
        byte[]? body = target is null ? null : SubRequestBody.Encode(request, out problem);
        if (body is not null && SubRequestContext.UnsendableHeader(request) is { } header)
        {
            (body, problem) = (null, $"Request '{request.Id}': the header '{header}' cannot be sent (a name that is no HTTP token, or control characters in its value).");
        }

        if (target is null || body is null)
        {
            return await AnswerAsync(request, GraphError.BadRequest(problem!));
        }

        var scopes = outer.RequestServices.GetRequiredService<IServiceScopeFactory>();
        await using var scope = scopes.CreateAsyncScope();
        var (context, response) = SubRequestContext.Create(outer, request, target, body, scope.ServiceProvider);
        var enlistment = group is null ? null : await group.EnlistAsync(scope.ServiceProvider, Aborted);
        try
        {
            await pipeline(context);
        }
        catch (Exception ex) when (!Aborted.IsCancellationRequested && !response.HasStarted)
        {
            // The pipeline answers what it can as a Graph error; this is what escaped it even so.
            LogEscaped(logger, request.Id, ex);
            await GraphErrorWriter.WriteAsync(context, new GraphError(StatusCodes.Status500InternalServerError,
                GraphErrorCodes.InternalServerError, GraphErrorCodes.DefaultMessage(StatusCodes.Status500InternalServerError)));
        }
        finally
        {
            if (enlistment is not null)
            {
                await enlistment.DisposeAsync();
            }
        }

        await response.CompleteAsync();
        await response.RunCompletedCallbacksAsync();
        return Collect(request.Id, response);
    }

    /// <summary>An answer the batch gives itself, shaped as the pipeline would have shaped it.</summary>
    private async Task<BatchResponseItem> AnswerAsync(BatchRequestItem request, GraphError error)
    {
        var (context, response) = SubRequestContext.Create(outer, request, target: null, body: [], outer.RequestServices);
        SubRequestContext.StampHeaders(context);
        await GraphErrorWriter.WriteAsync(context, error);
        await response.CompleteAsync();
        return Collect(request.Id, response);
    }

    private static BatchResponseItem Collect(string id, BufferedResponseFeature response)
    {
        var headers = response.Headers
            .Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value.ToArray())))
            .ToList();
        return new BatchResponseItem(id, response.StatusCode, headers, response.Headers.ContentType.ToString(), response.Body);
    }

    private static GraphError FailedDependency(string message) =>
        new(StatusCodes.Status424FailedDependency, GraphErrorCodes.FailedDependency, message);

    internal static bool IsSuccess(int status) => status is >= 200 and < 300;

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch request {BatchRequestId} failed outside the pipeline's error handling")]
    private static partial void LogEscaped(ILogger logger, string batchRequestId, Exception exception);
}
