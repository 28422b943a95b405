using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace GraphNotifications.Tests.Streams;

/// <summary>An event as the HTML standard's parser dispatches it: its type (message when unnamed), the last event id, its data.</summary>
public sealed record StreamEvent(string Type, string? LastEventId, string Data)
{
    public JsonObject Json => JsonNode.Parse(Data)!.AsObject();

    public string ItemId => Json["id"]!.GetValue<string>();
}

/// <summary>
/// A small client of the service's live stream: opens it (reading only the headers, then the body as it comes) and
/// parses the <c>text/event-stream</c> format as the HTML standard says (fields, comments, the last event id kept
/// across events that name none).
/// </summary>
public sealed class EventStream : IAsyncDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly List<string> _comments = [];

    private EventStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public HttpResponseMessage Response => _response;

    /// <summary>The id of the last event that named one, as an EventSource sends it when it reconnects.</summary>
    public string? LastEventId { get; private set; }

    public IReadOnlyList<string> Comments => _comments;

    public bool Ended { get; private set; }

    /// <summary>Sends the request and returns when the headers have come, whatever the status.</summary>
    public static async Task<EventStream> OpenAsync(HttpClient client, string url, string? lastEventId = null, Action<HttpRequestMessage>? tweak = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        tweak?.Invoke(request);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(StepTimeout);
        return await FromResponseAsync(response);
    }

    /// <summary>Reads the events of a response sent with <see cref="HttpCompletionOption.ResponseHeadersRead"/>.</summary>
    public static async Task<EventStream> FromResponseAsync(HttpResponseMessage response) =>
        new(response, await response.Content.ReadAsStreamAsync());

    /// <summary>Opens a stream and fails the test unless it is a 200 of <c>text/event-stream</c>.</summary>
    public static async Task<EventStream> OpenOkAsync(HttpClient client, string url, string? lastEventId = null, Action<HttpRequestMessage>? tweak = null)
    {
        var stream = await OpenAsync(client, url, lastEventId, tweak);
        if (stream.Response.StatusCode != HttpStatusCode.OK)
        {
            string body = await stream.Response.Content.ReadAsStringAsync();
            await stream.DisposeAsync();
            Assert.Fail($"GET {url} as a stream: {(int)stream.Response.StatusCode} {body}");
        }

        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        return stream;
    }

    /// <summary>The next event, or null when the stream ends.</summary>
    public async Task<StreamEvent?> NextAsync(TimeSpan? timeout = null)
    {
        string? type = null;
        var data = new StringBuilder();
        bool hasData = false;
        while (true)
        {
            string? line = await _reader.ReadLineAsync().WaitAsync(timeout ?? StepTimeout);
            if (line is null)
            {
                Ended = true;
                return null;
            }

            if (line.Length == 0)
            {
                if (hasData)
                {
                    return new StreamEvent(type ?? "message", LastEventId, data.ToString());
                }

                type = null;
                continue;
            }

            if (line[0] == ':')
            {
                _comments.Add(line[1..].Trim());
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string field = colon < 0 ? line : line[..colon];
            string value = colon < 0 ? string.Empty : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "event":
                    type = value;
                    break;
                case "data":
                    if (hasData)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    hasData = true;
                    break;
                case "id" when !value.Contains('\0', StringComparison.Ordinal):
                    LastEventId = value;
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>The next event, failing the test when the stream ends first.</summary>
    public async Task<StreamEvent> NextEventAsync(TimeSpan? timeout = null) =>
        await NextAsync(timeout) ?? throw new Xunit.Sdk.XunitException("The stream ended while an event was expected.");

    /// <summary>Reads until a comment containing <paramref name="text"/> has come (on a stream with no events meanwhile).</summary>
    public async Task UntilCommentAsync(string text)
    {
        int seen = _comments.Count;
        while (!_comments.Skip(seen).Any(c => c.Contains(text, StringComparison.Ordinal)))
        {
            string? line = await _reader.ReadLineAsync().WaitAsync(StepTimeout);
            if (line is null)
            {
                throw new Xunit.Sdk.XunitException($"The stream ended before a comment with '{text}'.");
            }

            if (line.StartsWith(':'))
            {
                _comments.Add(line[1..].Trim());
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                throw new Xunit.Sdk.XunitException($"An event came while only comments were expected: {line}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        await Task.CompletedTask;
    }
}
