using Microsoft.Net.Http.Headers;

namespace GraphNotifications.Api.Streams;

/// <summary>
/// Whether a delta call asks for the live stream: its <c>Accept</c> names <c>text/event-stream</c> itself (a range
/// such as <c>text/*</c> or <c>*/*</c> does not: those ask for a delta page as before), and no <c>$format</c> says
/// otherwise (<c>$format</c> wins over <c>Accept</c>, as OData has it).
/// </summary>
public static class EventStreamRequest
{
    public const string MediaType = "text/event-stream";

    public static bool IsAsked(HttpRequest request)
    {
        if (request.Query.Keys.Any(k => k.Trim().Equals("$format", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var accept = request.Headers.Accept;
        return accept.Count > 0
            && MediaTypeHeaderValue.TryParseList(accept, out var ranges)
            && ranges.Any(r => r.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase) && r.Quality is not 0);
    }
}
