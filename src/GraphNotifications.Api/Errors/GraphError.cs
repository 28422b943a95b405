namespace GraphNotifications.Api.Errors;

/// <summary>One problem of a request, as Graph reports it in <c>error.details[]</c>.</summary>
/// <param name="Target">The property path or parameter the problem is about.</param>
public sealed record GraphErrorDetail(string Code, string Message, string? Target = null);

/// <summary>
/// A Graph-style error: <c>{"error": {"code", "message", "target"?, "details"?, "innerError"}}</c>. The status
/// travels with it so that every layer can raise one and <see cref="GraphErrorWriter"/> writes it.
/// </summary>
public sealed record GraphError(int StatusCode, string Code, string Message, IReadOnlyList<GraphErrorDetail>? Details = null)
{
    public static GraphError BadRequest(string message, IReadOnlyList<GraphErrorDetail>? details = null) =>
        new(StatusCodes.Status400BadRequest, GraphErrorCodes.BadRequest, message, details);

    public static GraphError Forbidden(string message) =>
        new(StatusCodes.Status403Forbidden, GraphErrorCodes.Forbidden, message);

    public static GraphError NotFound(string message) =>
        new(StatusCodes.Status404NotFound, GraphErrorCodes.NotFound, message);

    public static GraphError UnsupportedMediaType { get; } = new(
        StatusCodes.Status415UnsupportedMediaType,
        GraphErrorCodes.UnsupportedMediaType,
        GraphErrorCodes.DefaultMessage(StatusCodes.Status415UnsupportedMediaType));

    /// <summary>A body with problems: one problem is the message, several are "see details".</summary>
    public static GraphError InvalidBody(IReadOnlyList<GraphErrorDetail> problems) => BadRequest(
        problems.Count == 1 ? problems[0].Message : $"The notification has {problems.Count} problems; see details.",
        problems);

    public static GraphError PreconditionFailed(string message) =>
        new(StatusCodes.Status412PreconditionFailed, GraphErrorCodes.PreconditionFailed, message);

    public static GraphError Conflict(string message) =>
        new(StatusCodes.Status409Conflict, GraphErrorCodes.Conflict, message);

    /// <summary>The store cannot take the request now (full, read-only, unreachable); the same request may succeed later.</summary>
    public static GraphError StoreUnavailable { get; } = new(
        StatusCodes.Status503ServiceUnavailable,
        GraphErrorCodes.ServiceUnavailable,
        "The notification store cannot take this request now; nothing was changed. Retry after the time Retry-After gives.");

    public static GraphError NotificationNotFound(string id) =>
        NotFound($"No notification with id '{id}' exists in this feed, or it is not visible to the caller.");
}
