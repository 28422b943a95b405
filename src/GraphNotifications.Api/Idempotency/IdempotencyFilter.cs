using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Identity;
using GraphNotifications.Api.Storage.Idempotency;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on a create. The first request with a key runs, and its successful answer is recorded in
/// the same transaction as what it created, so a crash keeps both or neither. A retry with the same key and the same
/// request gets that answer again (status, headers, body) and creates nothing; the same key with another request is
/// a 422; a retry while the first is still running is a 409. Errors are not recorded: they changed nothing, and the
/// retry is judged afresh.
/// </summary>
public sealed class IdempotencyFilter(IdempotencyRecords records, KeysInFlight inFlight, TimeProvider clock, IOptions<IdempotencyOptions> options)
    : IAsyncResourceFilter
{
    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        var http = context.HttpContext;
        var caller = Caller.FromClaims(http.User, out _);
        if (!IdempotencyKeyHeader.IsPresent(http.Request) || caller is null)
        {
            await next();
            return;
        }

        if (IdempotencyKeyHeader.Parse(http.Request) is not { } key)
        {
            context.Result = new GraphErrorResult(IdempotencyErrors.InvalidKey);
            return;
        }

        var cancellationToken = http.RequestAborted;
        string fingerprint = RequestFingerprint.Of(http.Request, await BufferRequestBodyAsync(http.Request, cancellationToken));
        var scope = new IdempotencyScope(caller.TenantId, caller.AppId, caller.UserId ?? string.Empty, key);
        if (!inFlight.TryEnter(scope))
        {
            context.Result = new GraphErrorResult(IdempotencyErrors.KeyInFlight);
            return;
        }

        try
        {
            if (await records.FindAsync(scope, cancellationToken) is { } earlier)
            {
                context.Result = Answer(earlier, fingerprint);
                return;
            }

            await RunAndRecordAsync(context, next, scope, fingerprint, cancellationToken);
        }
        finally
        {
            inFlight.Leave(scope);
        }
    }

    private async Task RunAndRecordAsync(ResourceExecutingContext context, ResourceExecutionDelegate next, IdempotencyScope scope,
        string fingerprint, CancellationToken cancellationToken)
    {
        var response = context.HttpContext.Response;
        await using var transaction = await records.BeginAsync(cancellationToken);
        // The answer is held back until its record is committed: a client never sees a 201 that a retry would not see.
        var sent = response.Body;
        using var answer = new MemoryStream();
        response.Body = answer;
        ResourceExecutedContext executed;
        try
        {
            executed = await next();
        }
        finally
        {
            response.Body = sent;
        }

        if (executed.Exception is not null && !executed.ExceptionHandled)
        {
            // Rolled back as the transaction is disposed; the exception handler answers.
            return;
        }

        if (response.StatusCode is >= 200 and < 300)
        {
            DateTimeOffset now = clock.GetUtcNow();
            var record = new IdempotencyRecord
            {
                TenantId = scope.TenantId,
                AppId = scope.AppId,
                UserId = scope.UserId,
                Key = scope.Key,
                Fingerprint = fingerprint,
                StatusCode = response.StatusCode,
                Location = NullIfEmpty(response.Headers.Location),
                ETag = NullIfEmpty(response.Headers.ETag),
                ContentType = response.ContentType,
                Body = answer.ToArray(),
                CreatedAt = now.UtcTicks,
                ExpiresAt = (now + options.Value.Lifetime).UtcTicks,
            };
            if (await records.AddAsync(record, cancellationToken) is { } winner)
            {
                // Another instance recorded the key first: what this request created goes back with the transaction.
                if (transaction is not null)
                {
                    await transaction.RollbackAsync(cancellationToken);
                }

                response.Clear();
                await Answer(winner, fingerprint).ExecuteResultAsync(context);
                return;
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }

        answer.Position = 0;
        await answer.CopyToAsync(sent, cancellationToken);
    }

    private static Microsoft.AspNetCore.Mvc.IActionResult Answer(IdempotencyRecord earlier, string fingerprint) =>
        earlier.Fingerprint == fingerprint ? new ReplayedResult(earlier) : new GraphErrorResult(IdempotencyErrors.KeyReused);

    /// <summary>Reads the whole body once (within the body limit) and leaves it readable again for the action.</summary>
    private static async Task<byte[]> BufferRequestBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, cancellationToken);
        byte[] body = copy.ToArray();
        request.Body = new MemoryStream(body, writable: false);
        return body;
    }

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues value) =>
        string.IsNullOrEmpty(value) ? null : value.ToString();
}
