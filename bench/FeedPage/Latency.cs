using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace GraphNotifications.Bench.FeedPage;

/// <summary>Latencies of one series of requests, in milliseconds.</summary>
internal sealed class Latency
{
    private readonly List<double> _samples = [];

    public int Count => _samples.Count;

    public void Add(double milliseconds) => _samples.Add(milliseconds);

    public double Mean => _samples.Average();

    public double P50 => Percentile(0.50);

    public double P90 => Percentile(0.90);

    public double P99 => Percentile(0.99);

    /// <summary>Nearest rank: the smallest sample that at least <paramref name="p"/> of the samples do not exceed.</summary>
    public double Percentile(double p)
    {
        var sorted = _samples.Order().ToList();
        int rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>One client, one connection, one request at a time: the latency of a page, not the throughput.</summary>
internal sealed class FeedClient : IDisposable
{
    private readonly HttpClient _http;

    public FeedClient(Uri root, string token)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { BaseAddress = root, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>
    /// GETs <paramref name="uri"/> and reads the whole body; the time is from sending the request to the body's last
    /// byte. Anything but 200 is a failure of the run.
    /// </summary>
    public async Task<(double Milliseconds, byte[] Body)> GetAsync(Uri uri, int? maxPageSize, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (maxPageSize is int size)
        {
            request.Headers.TryAddWithoutValidation("Prefer", $"odata.maxpagesize={size}");
        }

        long start = Stopwatch.GetTimestamp();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        double milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {uri} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        }

        return (milliseconds, body);
    }

    /// <summary>A page's item ids, titles and next link.</summary>
    public static (List<string> Ids, List<string?> Titles, Uri? NextLink) Read(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var ids = new List<string>();
        var titles = new List<string?>();
        foreach (var item in document.RootElement.GetProperty("value").EnumerateArray())
        {
            ids.Add(item.GetProperty("id").GetString()!);
            titles.Add(item.GetProperty("payload").GetProperty("visualContent").GetProperty("title").GetString());
            var expiry = item.GetProperty("expirationDateTime").GetDateTimeOffset();
            if (expiry <= DateTimeOffset.UtcNow)
            {
                throw new InvalidOperationException($"The service returned an expired notification ({expiry:o}).");
            }
        }

        Uri? next = document.RootElement.TryGetProperty("@odata.nextLink", out var link) ? new Uri(link.GetString()!) : null;
        return (ids, titles, next);
    }

    public void Dispose() => _http.Dispose();
}
