namespace GraphNotifications.Api.Errors;

/// <summary>
/// The stable <c>error.code</c> values, listed in docs/api.md (Errors): the HTTP status description in camelCase (Microsoft's
/// API guidelines), and for <c>error.details[].code</c> the kind of problem with a property.
/// </summary>
public static class GraphErrorCodes
{
    public const string BadRequest = "badRequest";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "notFound";
    public const string MethodNotAllowed = "methodNotAllowed";
    public const string NotAcceptable = "notAcceptable";
    public const string Conflict = "conflict";
    public const string PreconditionFailed = "preconditionFailed";
    public const string PayloadTooLarge = "payloadTooLarge";
    public const string UnprocessableEntity = "unprocessableEntity";
    public const string UnsupportedMediaType = "unsupportedMediaType";
    public const string FailedDependency = "failedDependency";
    public const string TooManyRequests = "tooManyRequests";
    public const string InternalServerError = "internalServerError";
    public const string NotImplemented = "notImplemented";
    public const string ServiceUnavailable = "serviceUnavailable";

    /// <summary>410 of a delta call: Graph's code for a token it cannot resume (unknown, or past the change log's retention).</summary>
    public const string SyncStateNotFound = "syncStateNotFound";

    // error.details[].code
    public const string MissingProperty = "missingProperty";
    public const string InvalidValue = "invalidValue";
    public const string InvalidType = "invalidType";
    public const string UnknownProperty = "unknownProperty";
    public const string ReadOnlyProperty = "readOnlyProperty";

    public static string ForStatus(int statusCode) => statusCode switch
    {
        StatusCodes.Status400BadRequest => BadRequest,
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status406NotAcceptable => NotAcceptable,
        StatusCodes.Status409Conflict => Conflict,
        StatusCodes.Status412PreconditionFailed => PreconditionFailed,
        StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status424FailedDependency => FailedDependency,
        StatusCodes.Status422UnprocessableEntity => UnprocessableEntity,
        StatusCodes.Status429TooManyRequests => TooManyRequests,
        StatusCodes.Status501NotImplemented => NotImplemented,
        StatusCodes.Status503ServiceUnavailable => ServiceUnavailable,
        >= 500 => InternalServerError,
        _ => BadRequest,
    };

    /// <summary>The message for a status that reached the client with no more specific explanation.</summary>
    public static string DefaultMessage(int statusCode) => statusCode switch
    {
        StatusCodes.Status401Unauthorized => "Authentication is required: send an OAuth 2.0 bearer token in the Authorization header.",
        StatusCodes.Status403Forbidden => "The caller is not allowed to perform this operation.",
        StatusCodes.Status404NotFound => "The requested resource does not exist.",
        StatusCodes.Status405MethodNotAllowed => "The HTTP method is not supported on this resource.",
        StatusCodes.Status406NotAcceptable => "The service cannot produce a response in any media type the Accept header allows; use application/json.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "The request body's media type is not supported; send application/json.",
        >= 500 => "The service failed to process the request. Retry later; if it persists, report the request-id.",
        _ => "The request is invalid.",
    };
}
