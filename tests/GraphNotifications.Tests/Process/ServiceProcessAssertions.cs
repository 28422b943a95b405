using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace GraphNotifications.Tests.Process;

internal static class ServiceProcessAssertions
{
    /// <summary>Asserts the status, showing the response body and the service's output when it differs.</summary>
    public static async Task AssertStatusAsync(this ServiceProcess service, HttpStatusCode expected, HttpResponseMessage response)
    {
        if (response.StatusCode != expected)
        {
            string body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, " +
                $"got {(int)response.StatusCode} {body}{Environment.NewLine}Service output:{Environment.NewLine}{service.Output}");
        }
    }

    /// <summary>
    /// A notification's properties, without the <c>@odata.context</c> that depends on the URL it was read through.
    /// </summary>
    public static JsonObject Properties(JsonNode notification)
    {
        var copy = notification.DeepClone().AsObject();
        copy.Remove("@odata.context");
        return copy;
    }

    public static void AssertSameProperties(JsonNode expected, JsonNode actual)
    {
        var (want, got) = (Properties(expected), Properties(actual));
        Assert.True(JsonNode.DeepEquals(want, got), $"Expected{Environment.NewLine}{want}{Environment.NewLine}but read{Environment.NewLine}{got}");
    }

    /// <summary>The ids in the signed-in user's feed, all pages, in the feed's order.</summary>
    public static async Task<List<string>> FeedIdsAsync(this HttpClient client) =>
        [.. (await client.ReadAllAsync("me/notifications?$select=id")).Select(n => n["id"]!.GetValue<string>())];

    /// <summary>Every item of a collection, following its next links, failing the test unless each page answers 200.</summary>
    public static async Task<List<JsonObject>> ReadAllAsync(this HttpClient client, string url)
    {
        var items = new List<JsonObject>();
        for (string? next = url; next is not null;)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Add("Prefer", "odata.maxpagesize=999");
            using var response = await client.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {next}: {(int)response.StatusCode} {text}");
            var page = JsonNode.Parse(text)!.AsObject();
            items.AddRange(page["value"]!.AsArray().Select(item => item!.AsObject()));
            next = page["@odata.nextLink"]?.GetValue<string>();
        }

        return items;
    }

    /// <summary>
    /// Waits until the service has written <paramref name="text"/> (its console log is written in the background, so
    /// a line can trail the answer it belongs to), failing the test with the output when it has not within 10 s.
    /// </summary>
    public static async Task WaitForOutputAsync(this ServiceProcess service, string text)
    {
        for (var waited = TimeSpan.Zero; !service.Output.Contains(text, StringComparison.Ordinal); waited += TimeSpan.FromMilliseconds(50))
        {
            Assert.True(waited < TimeSpan.FromSeconds(10), $"The service did not write \"{text}\".{Environment.NewLine}{service.Output}");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>
    /// Posts <paramref name="body"/> to the caller's feed until the store takes it (an answer other than 503), every
    /// 100 ms for up to <paramref name="attempts"/> tries; the last answer.
    /// </summary>
    public static async Task<HttpResponseMessage> PostOnceWritableAsync(this HttpClient client, JsonNode body, int attempts)
    {
        HttpResponseMessage response = null!;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            response = await client.PostAsync("me/notifications", body);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        return response;
    }

    /// <summary>
    /// Posts large notifications (<see cref="LargeNotification"/>) to the caller's feed until the store refuses one,
    /// adding the id of each it takes to <paramref name="stored"/>, for up to <paramref name="attempts"/> tries with
    /// <paramref name="pause"/> between them; the refusal (or the last answer).
    /// </summary>
    public static async Task<HttpResponseMessage> PostUntilRefusedAsync(this HttpClient client, List<string> stored, int attempts, TimeSpan pause)
    {
        HttpResponseMessage response = null!;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            response = await client.PostAsync("me/notifications", LargeNotification($"filling {attempt}"));
            if (response.StatusCode != HttpStatusCode.Created)
            {
                break;
            }

            stored.Add((await response.ReadObjectAsync())["id"]!.GetValue<string>());
            await Task.Delay(pause);
        }

        return response;
    }

    /// <summary>A notification of some 30 KB, so that a few fill what space is left.</summary>
    public static JsonObject LargeNotification(string title)
    {
        var body = Bodies.Minimal(title);
        body["payload"]!["rawContent"] = new string('x', 30_000);
        return body;
    }

    /// <summary>One value SQLite answers for <paramref name="sql"/> on the file, read outside the service.</summary>
    public static string SqliteScalar(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }
}
