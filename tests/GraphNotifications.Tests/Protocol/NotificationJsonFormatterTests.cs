using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Protocol.Json;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Protocol;

/// <summary>
/// Notifications are written by <see cref="NotificationJsonFormatter"/> where it can, and by AspNetCoreOData elsewhere;
/// either way a client gets the same bytes. The same store is read through the service as it is and through one without
/// the formatter (AspNetCoreOData writes everything), for answers of every shape the formatter writes and of the shapes
/// it leaves alone.
/// </summary>
public sealed class NotificationJsonFormatterTests(SqliteServiceFactory service) : IClassFixture<SqliteServiceFactory>
{
    private const string AppId = "page-writer-app";

    // A user id that every link must escape: a space, a percent sign, a plus and a letter outside ASCII.
    private const string OddUser = "o d%ü+";

    [Fact]
    public async Task Every_page_and_read_is_byte_for_byte_what_AspNetCoreOData_writes()
    {
        var ids = await SeedAsync();
        using var reference = WithoutFormatter();

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
            (App, "users/page-u1/notifications", null, "odata.include-annotations=*"),
            (App, $"users/page-u1/notifications/{ids[0]}", null, null),
            (App, $"users/page-u1/notifications/{ids[1]}", "application/json", null),
            (Delegated, $"me/notifications/{ids[2]}", null, null),
            (App, $"notifications/{ids[1]}", null, null),
            (App, $"notifications('{ids[0]}')", null, null),
            (App, $"{oddFeed}/{ids[1]}", null, null),
            (App, $"users/page-u1/notifications/{ids[1]}?$select=groupName", null, null),
            (App, $"users/page-u1/notifications/{ids[1]}", "application/json;odata.metadata=full", null),
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

    [Fact]
    public async Task A_created_or_updated_notification_is_answered_as_AspNetCoreOData_reads_it()
    {
        var app = service.AppOnly(AppId);
        var body = Bodies.CorrectedSeed();
        body["appNotificationId"] = "<created & answered>";
        body["attempt"] = 2;
        using var reference = WithoutFormatter();
        var referenceClient = reference.CreateClient(Options);

        var created = await app.PostAsync("users/page-u3/notifications", body);
        string id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        string url = $"users/page-u3/notifications/{id}";
        string afterCreate = await BodyAsync(referenceClient, url);
        var updated = await app.PatchAsync(url, new JsonObject { ["readState"] = "read" }, prefer: "return=representation");
        string afterUpdate = await BodyAsync(referenceClient, url);

        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(afterCreate, await created.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(afterUpdate, await updated.Content.ReadAsStringAsync());
        Assert.Equal("application/json; odata.metadata=minimal; odata.streaming=true", updated.Content.Headers.ContentType!.ToString());
    }

    private WebApplicationFactory<Program> WithoutFormatter() => service.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        s.PostConfigure<MvcOptions>(mvc => mvc.OutputFormatters.RemoveType<NotificationJsonFormatter>())));

    private static async Task<string> BodyAsync(HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", App);
        using var response = await client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
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
            + $"Preference-Applied: {Header("Preference-Applied")} | ETag: {Header("ETag")} | {await response.Content.ReadAsStringAsync()}";
    }

    private async Task<string[]> SeedAsync()
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
        return [seed, oddId, policyId];
    }
}
