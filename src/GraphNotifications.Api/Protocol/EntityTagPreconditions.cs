using GraphNotifications.Api.Errors;
using Microsoft.Net.Http.Headers;

namespace GraphNotifications.Api.Protocol;

/// <summary>
/// The entity-tag preconditions of a request on one notification (OData 4.01 Part 1, 8.2.4 and 8.2.5; RFC 9110,
/// 13.1): <c>If-Match</c> holds when it names the current tag or is <c>*</c>; <c>If-None-Match</c> holds when it
/// names neither (<c>*</c> names any existing notification). A change whose precondition fails is a 412 that
/// changes nothing: ignoring either header would let a client that relies on it overwrite or delete what it meant
/// to keep.
/// </summary>
public sealed record EntityTagPreconditions(ETagCondition? IfMatch, ETagCondition? IfNoneMatch)
{
    /// <summary>Reads both headers; false, naming the header, when one is present but not a list of entity tags.</summary>
    public static bool TryRead(HttpRequest request, out EntityTagPreconditions preconditions, out string? malformedHeader)
    {
        preconditions = new(null, null);
        malformedHeader = null;
        if (!NotificationETags.TryParse(request.Headers.IfMatch, out var ifMatch))
        {
            malformedHeader = HeaderNames.IfMatch;
            return false;
        }

        if (!NotificationETags.TryParse(request.Headers.IfNoneMatch, out var ifNoneMatch))
        {
            malformedHeader = HeaderNames.IfNoneMatch;
            return false;
        }

        preconditions = new(ifMatch, ifNoneMatch);
        return true;
    }

    /// <summary>The header whose condition does not hold for <paramref name="version"/>, or null when both hold.</summary>
    public string? FailingHeader(long version) => FailingHeader(NotificationETags.Format(version));

    /// <summary>The header whose condition does not hold for the entity tag <paramref name="currentTag"/>, or null when both hold.</summary>
    public string? FailingHeader(string currentTag) =>
        IfMatch is not null && !IfMatch.Matches(currentTag) ? HeaderNames.IfMatch
        : IfNoneMatch is not null && IfNoneMatch.Matches(currentTag) ? HeaderNames.IfNoneMatch
        : null;

    /// <summary>The 412 of a precondition that does not hold, saying which header failed and what to do.</summary>
    public static GraphError Unmet(string? header) => header == HeaderNames.IfNoneMatch
        ? GraphError.PreconditionFailed(
            "If-None-Match names the notification's current ETag (or is *, which any existing notification matches), so the request was not carried out.")
        : GraphError.PreconditionFailed(
            "The notification has changed: If-Match does not name its current ETag. Read it again and retry with the ETag it has now.");

    /// <summary>The 400 of an <c>If-Match</c> or <c>If-None-Match</c> that is not a list of entity tags.</summary>
    public static GraphError Malformed(string header) => GraphError.BadRequest(
        $"{header} must be * or a list of entity tags as the service sends them in ETag and @odata.etag, such as W/\"3\".",
        [new GraphErrorDetail(GraphErrorCodes.InvalidValue, "Not a list of entity tags.", header)]);
}
