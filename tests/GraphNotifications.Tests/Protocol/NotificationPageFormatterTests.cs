using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Protocol.Json;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Protocol;

/// <summary>
/// A page of notifications is written by <see cref="NotificationPageFormatter"/> where it can, and by AspNetCoreOData
/// elsewhere; either way a client gets the same bytes. The same store is read through the service as it is and through
/// one without the formatter (AspNetCoreOData writes everything), for pages of every shape the formatter writes and of
/// the shapes it leaves alone.
/// </summary>
public sealed class NotificationPageFormatterTests(SqliteServiceFactory service) : IClassFixture<SqliteServiceFactory>
{
    private const string AppId = "page-writer-app";

    // A user id that every link must escape: a space, a percent sign, a plus and a letter outside ASCII.
    private const string OddUser = "o d%ü+";

    [Fact]
    public async Task Every_page_is_byte_for_byte_what_AspNetCoreOData_writes()
    {
        await SeedAsync();
        using var reference = service.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.PostConfigure<MvcOptions>(mvc => mvc.OutputFormatters.RemoveType<NotificationPageFormatter>())));

        string oddFeed = $"users/{Uri.EscapeDataString(OddUser)}/notifications";
        (string Token, string Url, string? Accept, string? Prefer)[] cases =
        [
            (App, "users/page-u1/notifications", null, null),
            (Delegated, "me/notifications", null, null),
            (App, "notifications", null, null),
            (App, oddFeed, null, null),
            (App, "users/page-u1/notifications?$count=true&$top=3", null, "odata.maxpagesize=2"),
            (App, oddFeed + "?$count=true", null, "odata.maxpagesize=1"),
            (App, "notifications?$filter=priority eq 'High'&$orderby=groupName desc", null, "maxpagesize=2"),
            (Delegated, "me/notifications?$filter=readState eq 'read'", null, null),
            (App, "users/page-u1/notifications", "application/json", null),
            (App, "users/page-u1/notifications", "*/*", null),
            (App, "users/page-u1/notifications", "application/json;odata.metadata=minimal;odata.streaming=true", null),
            (App, "users/page-u1/notifications", "application/json;charset=utf-8", null),
            (App, "users/page-u1/notifications", "application/json;metadata=minimal", null),
            // Shapes left to AspNetCoreOData: they must still be what it writes.
            (App, "users/page-u1/notifications", "application/json;odata.metadata=full", null),
            (App, "users/page-u1/notifications", "application/json;odata.metadata=none", null),
            (App, "users/page-u1/notifications", "application/json;IEEE754Compatible=true", null),
            (App, "users/page-u1/notifications?$select=id,priority", null, null),
            (App, "users/page-u1/notifications?$format=json", null, null),
            (App, "users/page-u2/notifications", null, null),
            (App, "users/page-u1/notifications", null, "return=minimal"),
        ];

        var mismatches = new List<string>();
        foreach (var (token, url, accept, prefer) in cases)
        {
            var written = await GetAsync(service.CreateClient(Options), token, url, accept, prefer);
            var expected = await GetAsync(reference.CreateClient(Options), token, url, accept, prefer);
            if (written != expected)
            {
                mismatches.Add($"GET {url} (Accept: {accept}; Prefer: {prefer})\n  expected: {expected}\n  written:  {written}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    private static WebApplicationFactoryClientOptions Options => new() { BaseAddress = new Uri("http://localhost/v1.0/") };

    private static string App => TestTokens.AppOnly(AppId);

    private static string Delegated => TestTokens.Delegated("page-u1", AppId);

    // The status, the headers the formatter sets or shares, and the body.
    private static async Task<string> GetAsync(HttpClient client, string token, string url, string? accept, string? prefer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }

        using var response = await client.SendAsync(request);
        string Header(string name) => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
        return $"{(int)response.StatusCode} | {response.Content.Headers.ContentType} | OData-Version: {Header("OData-Version")} | "
            + $"Preference-Applied: {Header("Preference-Applied")} | {await response.Content.ReadAsStringAsync()}";
    }

    private async Task SeedAsync()
    {
        var app = service.AppOnly(AppId);
        string seed = await app.CreateAsync("users/page-u1/notifications", Bodies.CorrectedSeed());
        var odd = Bodies.Minimal("<b>&'\"é😀\u2028\u0001</b>");
        odd["appNotificationId"] = "a<b>&'\"é😀\u2028\u0001/";
        odd["count"] = 5;
        odd["flag"] = true;
        odd["groupName"] = "news";
        odd["priority"] = "Low";
        string oddId = await app.CreateAsync("users/page-u1/notifications", odd);
        var raw = new JsonObject { ["targetHostName"] = "contoso.example", ["payload"] = new JsonObject { ["rawContent"] = "raw \"text\"" }, ["displayTimeToLive"] = 30 };
        await app.CreateAsync("users/page-u1/notifications", raw);
        var withPolicy = Bodies.Minimal("policy");
        withPolicy["targetPolicy"] = new JsonObject { ["platformTypes"] = new JsonArray("windows", "webPush") };
        withPolicy["expirationDateTime"] = DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-ddTHH:mm:ssZ");
        string policyId = await app.CreateAsync("users/page-u1/notifications", withPolicy);

        Assert.True((await app.PatchAsync($"users/page-u1/notifications/{oddId}", new JsonObject { ["readState"] = "read" })).IsSuccessStatusCode);
        Assert.True((await app.PatchAsync($"users/page-u1/notifications/{policyId}",
            new JsonObject { ["userActionState"] = "snoozed", ["snoozedUntilDateTime"] = DateTimeOffset.UtcNow.AddHours(2).ToString("O") })).IsSuccessStatusCode);
        foreach (string id in new[] { seed, oddId, policyId })
        {
            var linked = await app.PostAsync($"users/{Uri.EscapeDataString(OddUser)}/notifications/$ref", new JsonObject { ["@odata.id"] = $"notifications('{id}')" });
            Assert.True(linked.IsSuccessStatusCode, await linked.Content.ReadAsStringAsync());
        }

        // Numbers the framework writes with a type annotation: the page holding one is left to it.
        var wide = Bodies.Minimal("wide");
        wide["big"] = 12345678901234L;
        wide["ratio"] = 0.5;
        await app.CreateAsync("users/page-u2/notifications", wide);
    }
}
