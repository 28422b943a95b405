using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Delta;

/// <summary>A delta client as an app would write one: follow nextLink to the deltaLink, keep that.</summary>
internal static class DeltaSync
{
    public sealed record Round(List<JsonObject> Items, string DeltaLink, int Pages);

    /// <summary>Reads one page, failing the test unless it is a 200.</summary>
    public static async Task<JsonObject> PageAsync(HttpClient client, string url, int? maxPageSize = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (maxPageSize is { } size)
        {
            request.Headers.Add("Prefer", $"odata.maxpagesize={size}");
        }

        var response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {text}");
        if (maxPageSize is { } applied)
        {
            Assert.Contains($"odata.maxpagesize={applied}", response.Headers.GetValues("Preference-Applied"));
        }

        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Follows the links from <paramref name="url"/> until a page gives a deltaLink.</summary>
    public static async Task<Round> FollowAsync(HttpClient client, string url, int? maxPageSize = null)
    {
        var items = new List<JsonObject>();
        for (int pages = 1; pages < 1000; pages++)
        {
            var page = await PageAsync(client, url, maxPageSize);
            items.AddRange(page["value"]!.AsArray().Select(v => v!.AsObject()));
            if (page["@odata.deltaLink"] is { } deltaLink)
            {
                Assert.Null(page["@odata.nextLink"]);
                return new Round(items, deltaLink.GetValue<string>(), pages);
            }

            url = page["@odata.nextLink"]!.GetValue<string>();
            Assert.Contains("$skiptoken=", url, StringComparison.Ordinal);
        }

        throw new InvalidOperationException("The delta query never ended with a deltaLink.");
    }

    /// <summary>
    /// Follows <paramref name="url"/> until its round has items (or 30 s pass, and then the empty round). On PostgreSQL a
    /// committed change becomes readable once every transaction older than it has ended (docs/postgres.md): under load
    /// a background worker's transaction can hold it back for a moment, and a reader then sees it on a later call.
    /// </summary>
    public static async Task<Round> FollowUntilChangedAsync(HttpClient client, string url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var round = await FollowAsync(client, url);
            if (round.Items.Count > 0 || DateTime.UtcNow > deadline)
            {
                return round;
            }

            await Task.Delay(50);
        }
    }

    public static string Id(JsonObject item) => item["id"]!.GetValue<string>();

    public static string? Removed(JsonObject item) => item["@removed"]?["reason"]?.GetValue<string>();

    public static async Task<JsonObject> GoneAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.ReadObjectAsync();
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("syncStateNotFound", body.ErrorCode());
        Assert.Contains("without a token", body.ErrorMessage(), StringComparison.Ordinal);
        return body;
    }
}
