using Microsoft.OData;

namespace GraphNotifications.Tests.Contract;

/// <summary>
/// An HTTP response as Microsoft.OData.Core's client-side reading sees it: its status, headers and body. The body is
/// kept, so that a test that fails can show what it read.
/// </summary>
public sealed class HttpResponseODataMessage : IODataResponseMessageAsync
{
    private readonly Dictionary<string, string> _headers;

    private HttpResponseODataMessage(HttpResponseMessage response, byte[] body)
    {
        StatusCode = (int)response.StatusCode;
        _headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        Body = body;
    }

    public byte[] Body { get; }

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public IEnumerable<KeyValuePair<string, string>> Headers => _headers;

    public int StatusCode { get; set; }

    public static async Task<HttpResponseODataMessage> FromAsync(HttpResponseMessage response) =>
        new(response, await response.Content.ReadAsByteArrayAsync());

    public string GetHeader(string headerName) => _headers.GetValueOrDefault(headerName)!;

    public void SetHeader(string headerName, string headerValue) =>
        throw new NotSupportedException("A response being read is not changed.");

    public Stream GetStream() => new MemoryStream(Body, writable: false);

    public Task<Stream> GetStreamAsync() => Task.FromResult(GetStream());
}
