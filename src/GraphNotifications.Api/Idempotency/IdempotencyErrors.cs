using GraphNotifications.Api.Errors;

namespace GraphNotifications.Api.Idempotency;

/// <summary>The Graph errors of <c>Idempotency-Key</c>, with the statuses the IETF draft gives them.</summary>
public static class IdempotencyErrors
{
    public static GraphError InvalidKey { get; } = GraphError.BadRequest(
        "Idempotency-Key must be one key of 1 to 255 visible ASCII characters, such as a UUID.",
        [new GraphErrorDetail(GraphErrorCodes.InvalidValue, "Not a valid idempotency key.", IdempotencyKeyHeader.Name)]);

    /// <summary>The draft's answer to a key reused for another request: 422.</summary>
    public static GraphError KeyReused { get; } = new(
        StatusCodes.Status422UnprocessableEntity,
        GraphErrorCodes.UnprocessableEntity,
        "This Idempotency-Key was already used for a different request (another body, method or path). Use a new key for a new request.");

    /// <summary>The draft's answer to a retry that arrives while the first request is still running: 409.</summary>
    public static GraphError KeyInFlight { get; } = GraphError.Conflict(
        "A request with this Idempotency-Key is still being processed. Retry after it has completed.");
}
