using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Tests;

/// <summary>Abuse limits: body size, compression, text lengths and request rates, each answered with a Graph error.</summary>
public sealed class LimitsTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    private static async Task<int> FeedSizeAsync(HttpClient client) =>
        (await (await client.GetAsync("me/notifications")).ReadObjectAsync())["value"]!.AsArray().Count;

    [Fact]
    public async Task A_body_over_64_KiB_is_a_413_and_stores_nothing()
    {
        var client = service.Delegated("limits-size", "limits-app");
        var body = Bodies.Minimal();
        body["payload"]!["rawContent"] = new string('x', 70 * 1024);

        var response = await client.PostAsync("me/notifications", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payloadTooLarge", (await response.ReadObjectAsync()).ErrorCode());
        Assert.Equal(0, await FeedSizeAsync(client));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Bodies_compressed_with_gzip_or_deflate_are_accepted(string encoding)
    {
        var client = service.Delegated("limits-" + encoding, "limits-app");

        var response = await client.PostAsync("me/notifications", Compressed(Bodies.Minimal("compressed").ToJsonString(), encoding));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("compressed", (await response.ReadObjectAsync())["payload"]!["visualContent"]!["title"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("br")]
    [InlineData("compress")]
    [InlineData("zstd")]
    public async Task Any_other_content_encoding_is_a_415(string encoding)
    {
        var client = service.Delegated("limits-encoding", "limits-app");
        var content = Bodies.Json(Bodies.Minimal());
        content.Headers.ContentEncoding.Add(encoding);

        var response = await client.PostAsync("me/notifications", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupportedMediaType", (await response.ReadObjectAsync()).ErrorCode());
    }

    [Fact]
    public async Task A_compressed_body_that_inflates_past_the_limit_is_a_413()
    {
        var client = service.Delegated("limits-bomb", "limits-app");
        string inflated = "{\"targetHostName\":\"x\",\"payload\":{\"rawContent\":\"" + new string('a', 4 * 1024 * 1024) + "\"}}";

        var response = await client.PostAsync("me/notifications", Compressed(inflated, "gzip"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await FeedSizeAsync(client));
    }

    public static TheoryData<string, int, string> TooLong => new()
    {
        { "targetHostName", 256, "targetHostName" },
        { "groupName", 256, "groupName" },
        { "payload/visualContent/title", 4097, "payload/visualContent/title" },
        { "payload/visualContent/body", 4097, "payload/visualContent/body" },
        { "payload/rawContent", 32 * 1024 + 1, "payload/rawContent" },
        { "targetPolicy/platformTypes/0", 65, "targetPolicy/platformTypes/0" },
        { "appNotificationId", 1025, "appNotificationId" },
    };

    [Theory]
    [MemberData(nameof(TooLong))]
    public async Task Text_past_its_maximum_length_is_a_400_naming_the_property(string path, int length, string target)
    {
        var client = service.Delegated("limits-text", "limits-app");
        var body = Bodies.Minimal();
        body["payload"]!["rawContent"] = "r";
        body["targetPolicy"] = new JsonObject { ["platformTypes"] = new JsonArray("windows") };
        string[] steps = path.Split('/');
        JsonNode parent = body;
        foreach (string step in steps[..^1])
        {
            parent = int.TryParse(step, out int index) ? parent[index]! : parent[step]!;
        }

        if (parent is JsonArray array)
        {
            array[int.Parse(steps[^1], System.Globalization.CultureInfo.InvariantCulture)] = new string('p', length);
        }
        else
        {
            parent[steps[^1]] = new string('p', length);
        }

        var response = await client.PostAsync("me/notifications", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([target], (await response.ReadObjectAsync()).ErrorTargets());
    }

    [Fact]
    public async Task More_than_16_platforms_or_dynamic_properties_is_a_400()
    {
        var client = service.Delegated("limits-counts", "limits-app");
        var platforms = Bodies.Minimal();
        platforms["targetPolicy"] = new JsonObject { ["platformTypes"] = new JsonArray([.. Enumerable.Range(0, 17).Select(i => (JsonNode)$"p{i}")]) };
        var dynamics = Bodies.Minimal();
        for (int i = 0; i < 17; i++)
        {
            dynamics[$"extra{i}"] = i;
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("me/notifications", platforms)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("me/notifications", dynamics)).StatusCode);
        Assert.Equal(0, await FeedSizeAsync(client));
    }

    [Fact]
    public async Task A_user_past_its_rate_is_a_429_with_retry_after_and_other_users_go_on()
    {
        using var limited = service.WithWebHostBuilder(host => host.UseSetting("Limits:PermitsPerUser", "3"));
        HttpClient Client(string user)
        {
            var client = limited.CreateClient(new() { BaseAddress = new Uri("http://localhost/v1.0/") });
            client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Delegated(user, "rate-app"));
            return client;
        }

        var busy = Client("rate-busy");
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 4; i++)
        {
            statuses.Add((await busy.GetAsync("me/notifications")).StatusCode);
        }

        var rejected = await busy.GetAsync("me/notifications");
        var calm = await Client("rate-calm").GetAsync("me/notifications");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.True(rejected.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("tooManyRequests", (await rejected.ReadObjectAsync()).ErrorCode());
        Assert.Equal(HttpStatusCode.OK, calm.StatusCode);
    }

    [Fact]
    public async Task An_app_past_its_rate_is_a_429_whichever_user_it_acts_for()
    {
        using var limited = service.WithWebHostBuilder(host => host.UseSetting("Limits:PermitsPerApp", "5"));
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 6; i++)
        {
            var client = limited.CreateClient(new() { BaseAddress = new Uri("http://localhost/v1.0/") });
            client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Delegated($"rate-user-{i}", "rate-app-2"));
            statuses.Add((await client.GetAsync("me/notifications")).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5).Append(HttpStatusCode.TooManyRequests), statuses);
    }

    [Fact]
    public async Task An_app_past_its_rate_in_one_tenant_does_not_slow_the_same_app_in_another()
    {
        using var limited = service.WithWebHostBuilder(host => host.UseSetting("Limits:PermitsPerApp", "2"));
        HttpClient Client(string tenant)
        {
            var client = limited.CreateClient(new() { BaseAddress = new Uri("http://localhost/v1.0/") });
            client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.AppOnly("rate-app-3", tweak: TestTokens.InTenant(tenant)));
            return client;
        }

        var busy = Client("rate-tenant-a");
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 3; i++)
        {
            statuses.Add((await busy.GetAsync("notifications")).StatusCode);
        }

        // A multi-tenant app has one app id in every tenant: each tenant's use of it has its own budget.
        var elsewhere = await Client("rate-tenant-b").GetAsync("notifications");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_token_are_limited_too_and_answered_429_before_401()
    {
        using var limited = service.WithWebHostBuilder(host => host.UseSetting("Limits:PermitsPerUser", "2"));
        var anonymous = limited.CreateClient(new() { BaseAddress = new Uri("http://localhost/v1.0/") });
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 3; i++)
        {
            statuses.Add((await anonymous.GetAsync("me/notifications")).StatusCode);
        }

        var rejected = await anonymous.GetAsync("me/notifications");

        // Without a token a client is counted by its address, so guessing tokens costs permits like any request.
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.True(rejected.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("tooManyRequests", (await rejected.ReadObjectAsync()).ErrorCode());
    }

    [Fact]
    public async Task Health_probes_answer_while_their_address_is_throttled()
    {
        using var limited = service.WithWebHostBuilder(host => host.UseSetting("Limits:PermitsPerUser", "2"));
        var anonymous = limited.CreateClient(new() { BaseAddress = new Uri("http://localhost/v1.0/") });
        for (int i = 0; i < 3; i++)
        {
            await anonymous.GetAsync("me/notifications");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await anonymous.GetAsync("me/notifications")).StatusCode);

        // An orchestrator probing from the same address as a flood must not take a healthy instance out of rotation.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
    }

    [Theory]
    [InlineData(32, false)]
    [InlineData(33, true)]
    public async Task JSON_nested_deeper_than_32_levels_is_refused_as_such(int levels, bool tooDeep)
    {
        var client = service.Delegated("limits-depth", "limits-app");
        // The notification object is level 1; a dynamic property of arrays nested inside it makes up the rest.
        string deep = new string('[', levels - 1) + new string(']', levels - 1);
        string minimal = Bodies.Minimal().ToJsonString();
        string body = minimal[..minimal.LastIndexOf('}')] + ",\"deep\":" + deep + "}";

        var response = await client.PostAsync("me/notifications", new StringContent(body, Encoding.UTF8, "application/json"));

        // Either way a 400 (a dynamic property must be a primitive), but only past the limit is the depth the reason.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadObjectAsync();
        Assert.Equal(tooDeep, error.ErrorMessage().Contains("depth of 32", StringComparison.Ordinal));
        Assert.Equal(tooDeep ? [] : ["deep"], error.ErrorTargets());
        Assert.Equal(0, await FeedSizeAsync(client));
    }

    private static ByteArrayContent Compressed(string json, string encoding)
    {
        using var buffer = new MemoryStream();
        using (Stream compressor = encoding == "gzip"
            ? new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)
            : new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            compressor.Write(Encoding.UTF8.GetBytes(json));
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add(encoding);
        return content;
    }

    [Theory]
    [InlineData("Limits:Window", "00:00:00", "Window")]
    [InlineData("Limits:Window", "-00:01:00", "Window")]
    [InlineData("Limits:Window", "2.00:00:00", "Window")]
    [InlineData("Limits:PermitsPerUser", "0", "PermitsPerUser")]
    [InlineData("Limits:MaxRequestBodyBytes", "100", "MaxRequestBodyBytes")]
    public void A_limit_out_of_range_stops_the_service_at_start_up(string key, string value, string named)
    {
        using var host = service.WithWebHostBuilder(web => web.UseSetting(key, value));

        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
