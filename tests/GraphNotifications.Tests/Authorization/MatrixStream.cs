using System.Net;
using System.Net.Http.Headers;
using GraphNotifications.Tests.Streams;

namespace GraphNotifications.Tests.Authorization;

/// <summary>
/// A matrix cell on the live stream: a refusal is read as any response; a stream's answer is the data of its events
/// up to the end of its initial sync (the <c>synced</c> event), which is what the feed shows to that caller.
/// </summary>
public static class MatrixStream
{
    public static async Task<MatrixAnswer> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            using (response)
            {
                return await MatrixAnswer.FromResponseAsync(response);
            }
        }

        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        await using var stream = await EventStream.FromResponseAsync(response);
        var data = new List<string>();
        while (await stream.NextAsync() is { } next && next.Type != "synced")
        {
            data.Add(next.Data);
        }

        return new MatrixAnswer((int)response.StatusCode, headers, string.Join("\n", data));
    }
}
