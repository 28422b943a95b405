using Microsoft.OData;

namespace GraphNotifications.Tests.Contract;

/// <summary>
/// An HTTP response (or one answer of a batch) as Microsoft.OData.Core's client-side reading sees it: its status,
/// headers and body. The body is kept, so that a test that fails can show what it read.
/// </summary>
public sealed class HttpResponseODataMessage : IODataResponseMessageAsync
{
    private readonly Dictionary<string, string> _headers;

    private HttpResponseODataMessage(int statusCode, IEnumerable<KeyValuePair<string, string>> headers, byte[] body)
    {
        StatusCode = statusCode;
        _headers = headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
        Body = body;
    }

    public byte[] Body { get; }

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public IEnumerable<KeyValuePair<string, string>> Headers => _headers;

    public int StatusCode { get; set; }

    public static async Task<HttpResponseODataMessage> FromAsync(HttpResponseMessage response) => new(
        (int)response.StatusCode,
        response.Headers.Concat(response.Content.Headers).Select(h => KeyValuePair.Create(h.Key, string.Join(", ", h.Value))),
        await response.Content.ReadAsByteArrayAsync());

    /// <summary>A response with the same status and headers, and another body.</summary>
    public HttpResponseODataMessage WithBody(byte[] body) => new(StatusCode, _headers, body);

    /// <summary>An operation of a batch response, its body read whole.</summary>
    public static async Task<HttpResponseODataMessage> FromAsync(ODataBatchOperationResponseMessage operation)
    {
        using var body = new MemoryStream();
        await using (var stream = await operation.GetStreamAsync())
        {
            await stream.CopyToAsync(body);
        }

        return new(operation.StatusCode, operation.Headers, body.ToArray());
    }

    public string GetHeader(string headerName) => _headers.GetValueOrDefault(headerName)!;

    public void SetHeader(string headerName, string headerValue) =>
        throw new NotSupportedException("A response being read is not changed.");

    public Stream GetStream() => new MemoryStream(Body, writable: false);

    public Task<Stream> GetStreamAsync() => Task.FromResult(GetStream());
}
