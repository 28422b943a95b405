using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using static GraphNotifications.Tests.Batch.BatchRequests;

namespace GraphNotifications.Tests.Batch;

/// <summary>
/// Graph's JSON batch on the in-memory store: the envelope, dependsOn, and sub-requests that behave as direct
/// requests do. Atomicity groups need a transactional store: <see cref="BatchAtomicityTests{TFactory}"/>.
/// </summary>
public sealed class BatchProtocolTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task A_batch_creates_reads_counts_patches_and_deletes_in_dependency_order()
    {
        var user = service.Delegated("batch-mixed-user", "batch-mixed-app");
        string id = await user.CreateAsync("me/notifications", Bodies.Minimal("before"));

        var responses = await user.BatchAsync(
            Request("create", "POST", "/me/notifications", Bodies.Minimal("created in a batch")),
            Request("read", "GET", $"me/notifications/{id}"),
            Request("stale", "PATCH", $"/me/notifications/{id}", new JsonObject { ["groupName"] = "x" }, ["read"], headers: new() { ["If-Match"] = "W/\"7\"" }),
            Request("patch", "PATCH", $"/me/notifications/{id}", new JsonObject { ["groupName"] = "patched" }, ["read"],
                headers: new() { ["If-Match"] = "W/\"1.1\"", ["Prefer"] = "return=representation" }),
            Request("count", "GET", "/me/notifications/$count", dependsOn: ["create"]),
            Request("delete", "DELETE", $"/me/notifications/{id}", dependsOn: ["patch", "count"]),
            Request("gone", "GET", $"/me/notifications/{id}", dependsOn: ["delete"]));

        var created = responses["create"];
        Assert.Equal(201, created.Status());
        Assert.Equal("created in a batch", created.Body()["payload"]!["visualContent"]!["title"]!.GetValue<string>());
        Assert.Equal("#microsoft.graph.notification", created.Body()["@odata.type"]!.GetValue<string>());
        Assert.StartsWith("http://localhost/v1.0/notifications('", created.Header("Location"));
        Assert.Equal("W/\"1.1\"", created.Header("ETag"));

        Assert.Equal(200, responses["read"].Status());
        Assert.Equal(id, responses["read"].Body()["id"]!.GetValue<string>());
        Assert.Equal(412, responses["stale"].Status());
        Assert.Equal("preconditionFailed", responses["stale"].Body()["error"]!["code"]!.GetValue<string>());
        Assert.Equal(200, responses["patch"].Status());
        Assert.Equal("patched", responses["patch"].Body()["groupName"]!.GetValue<string>());
        Assert.Equal("W/\"2.1\"", responses["patch"].Header("ETag"));
        Assert.Equal(200, responses["count"].Status());
        Assert.Equal("2", responses["count"].Body().GetValue<string>());
        Assert.Equal(204, responses["delete"].Status());
        Assert.Null(responses["delete"]["body"]);
        Assert.Equal(404, responses["gone"].Status());

        // The batch's writes are there for direct requests too.
        var feed = await (await user.GetAsync("me/notifications")).ReadObjectAsync();
        Assert.Equal(["created in a batch"], feed["value"]!.AsArray().Select(n => n!["payload"]!["visualContent"]!["title"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_request_whose_dependency_failed_is_not_run_and_answers_424_down_the_chain()
    {
        var app = service.AppOnly("batch-chain-app");
        var invalid = new JsonObject { ["targetHostName"] = "x" };

        var responses = await app.BatchAsync(
            Request("1", "POST", "users/batch-chain-u1/notifications", invalid),
            Request("2", "POST", "users/batch-chain-u2/notifications", Bodies.Minimal(), ["1"]),
            Request("3", "POST", "users/batch-chain-u3/notifications", Bodies.Minimal(), ["2"]),
            Request("4", "POST", "users/batch-chain-u4/notifications", Bodies.Minimal()));

        Assert.Equal(400, responses["1"].Status());
        Assert.Equal("payload", responses["1"].Body()["error"]!["details"]![0]!["target"]!.GetValue<string>());
        foreach (string id in new[] { "2", "3" })
        {
            Assert.Equal(424, responses[id].Status());
            var error = responses[id].Body()["error"]!;
            Assert.Equal("failedDependency", error["code"]!.GetValue<string>());
            Assert.Equal(responses[id].Header("request-id"), error["innerError"]!["request-id"]!.GetValue<string>());
        }

        Assert.Equal(201, responses["4"].Status());
        Assert.Equal(0, await app.CountAsync("users/batch-chain-u2/notifications"));
        Assert.Equal(0, await app.CountAsync("users/batch-chain-u3/notifications"));
        Assert.Equal(1, await app.CountAsync("users/batch-chain-u4/notifications"));
    }

    [Fact]
    public async Task Requests_may_depend_on_later_requests_and_run_after_them()
    {
        var user = service.Delegated("batch-forward-user", "batch-forward-app");

        var responses = await user.BatchAsync(
            Request("count", "GET", "me/notifications/$count", dependsOn: ["create"]),
            Request("create", "POST", "me/notifications", Bodies.Minimal()));

        Assert.Equal(201, responses["create"].Status());
        Assert.Equal("1", responses["count"].Body().GetValue<string>());
    }

    public static TheoryData<string, JsonArray> MalformedBatches() => new()
    {
        { "more than 20", new JsonArray(Enumerable.Range(1, 21).Select(i => (JsonNode)Request($"{i}", "POST", "me/notifications", Bodies.Minimal())).ToArray()) },
        { "cycle", [Request("a", "POST", "me/notifications", Bodies.Minimal(), ["b"]), Request("b", "GET", "me/notifications", dependsOn: ["c"]), Request("c", "GET", "me", dependsOn: ["a"])] },
        { "self", [Request("a", "POST", "me/notifications", Bodies.Minimal(), ["a"])] },
        { "cycle through a group", [Request("a", "POST", "me/notifications", Bodies.Minimal(), ["b"], "g"), Request("b", "GET", "me", dependsOn: ["c"]), Request("c", "GET", "me", atomicityGroup: "g")] },
        { "on its own group", [Request("a", "POST", "me/notifications", Bodies.Minimal(), ["g"], "g")] },
        { "group named as a request", [Request("a", "POST", "me/notifications", Bodies.Minimal(), atomicityGroup: "B"), Request("b", "GET", "me")] },
        { "if", [Request("a", "POST", "me/notifications", Bodies.Minimal()), new JsonObject { ["id"] = "b", ["method"] = "GET", ["url"] = "me", ["if"] = "$a" }] },
        { "unknown dependency", [Request("a", "POST", "me/notifications", Bodies.Minimal()), Request("b", "GET", "me/notifications", dependsOn: ["z"])] },
        { "duplicate id", [Request("a", "POST", "me/notifications", Bodies.Minimal()), Request("A", "GET", "me/notifications")] },
        { "no method", [Request("a", "POST", "me/notifications", Bodies.Minimal()), new JsonObject { ["id"] = "b", ["url"] = "me" }] },
        { "no url", [Request("a", "POST", "me/notifications", Bodies.Minimal()), new JsonObject { ["id"] = "b", ["method"] = "GET" }] },
        { "no id", [Request("a", "POST", "me/notifications", Bodies.Minimal()), new JsonObject { ["method"] = "GET", ["url"] = "me" }] },
        { "empty", [] },
        { "not an object", [Request("a", "POST", "me/notifications", Bodies.Minimal()), "GET me"] },
        { "headers not strings", [Request("a", "POST", "me/notifications", Bodies.Minimal()), new JsonObject { ["id"] = "b", ["method"] = "GET", ["url"] = "me", ["headers"] = new JsonObject { ["Prefer"] = 1 } }] },
    };

    [Theory]
    [MemberData(nameof(MalformedBatches), DisableDiscoveryEnumeration = true)]
    public async Task A_malformed_batch_is_a_400_and_none_of_it_runs(string why, JsonArray requests)
    {
        string user = "batch-malformed-" + why.Replace(' ', '-');
        var client = service.Delegated(user, "batch-malformed-app");

        var response = await client.PostAsync("$batch", new JsonObject { ["requests"] = requests });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.ReadObjectAsync())["error"]!;
        Assert.Equal("badRequest", error["code"]!.GetValue<string>());
        Assert.Equal(response.Headers.GetValues("request-id").Single(), error["innerError"]!["request-id"]!.GetValue<string>());
        Assert.Equal(0, await client.CountAsync("me/notifications"));
    }

    [Fact]
    public async Task A_batch_of_exactly_20_requests_runs_every_one()
    {
        var user = service.Delegated("batch-twenty-user", "batch-twenty-app");

        var responses = await user.BatchAsync(Enumerable.Range(1, 20).Select(i => Request($"{i}", "POST", "me/notifications", Bodies.Minimal())).ToArray());

        Assert.Equal(Enumerable.Repeat(201, 20), responses.Values.Select(r => r.Status()));
        Assert.Equal(20, await user.CountAsync("me/notifications"));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"requests\": {}}")]
    public async Task A_body_that_is_no_batch_is_a_400(string body)
    {
        var response = await service.Delegated("batch-garbage-user", "batch-garbage-app").PostAsync("$batch", Bodies.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("badRequest", (await response.ReadObjectAsync())["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_batch_without_a_token_is_a_401_and_runs_nothing()
    {
        var response = await service.ClientWith(null).PostBatchAsync(Request("1", "POST", "users/batch-anonymous/notifications", Bodies.Minimal()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("unauthorized", (await response.ReadObjectAsync())["error"]!["code"]!.GetValue<string>());
        Assert.Equal(0, await service.AppOnly("batch-anonymous-app").CountAsync("users/batch-anonymous/notifications"));
    }

    [Fact]
    public async Task Sub_requests_run_as_the_batchs_caller_whatever_their_own_headers_say()
    {
        var user = service.Delegated("batch-identity-user", "batch-identity-app");
        string other = TestTokens.Delegated("batch-identity-other", "batch-identity-app");

        var responses = await user.BatchAsync(
            Request("1", "POST", "me/notifications", Bodies.Minimal(), headers: new() { ["Authorization"] = $"Bearer {other}" }),
            Request("2", "GET", "users/batch-identity-other/notifications"),
            Request("3", "GET", "/notifications"));

        Assert.Equal(201, responses["1"].Status());
        Assert.Equal(403, responses["2"].Status());
        Assert.Equal(403, responses["3"].Status());
        Assert.Equal("forbidden", responses["3"].Body()["error"]!["code"]!.GetValue<string>());
        Assert.Equal(1, await user.CountAsync("me/notifications"));
        Assert.Equal(0, await service.Delegated("batch-identity-other", "batch-identity-app").CountAsync("me/notifications"));
    }

    [Fact]
    public async Task Sub_request_errors_are_Graph_errors_with_their_own_request_id()
    {
        var user = service.Delegated("batch-errors-user", "batch-errors-app");

        var responses = await user.BatchAsync(
            Request("missing", "GET", "me/notifications/no-such-id", headers: new() { ["client-request-id"] = "mine-1" }),
            Request("query", "GET", "me/notifications?$search=x"),
            Request("method", "PUT", "me/notifications", Bodies.Minimal()),
            Request("path", "GET", "no/such/path"));

        Assert.Equal(404, responses["missing"].Status());
        Assert.Equal(501, responses["query"].Status());
        Assert.Equal(405, responses["method"].Status());
        Assert.Equal(404, responses["path"].Status());
        foreach (var response in responses.Values)
        {
            var error = response.Body()["error"]!.AsObject();
            Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
            Assert.Equal(response.Header("request-id"), error["innerError"]!["request-id"]!.GetValue<string>());
            Assert.Equal("4.0", response.Header("OData-Version"));
        }

        Assert.Equal("mine-1", responses["missing"].Header("client-request-id"));
        Assert.Equal(4, responses.Values.Select(r => r.Header("request-id")).Distinct().Count());
    }

    [Theory]
    [InlineData("http://elsewhere.example/v1.0/me/notifications")]
    [InlineData("https://localhost.evil/v1.0/me/notifications")]
    [InlineData("ftp://localhost/v1.0/me/notifications")]
    [InlineData("http://localhost/health/live")]
    [InlineData("/$batch")]
    [InlineData("%24batch")]
    [InlineData("http://localhost/beta/$BATCH/")]
    [InlineData("me/%2e%2e/%2e%2e/health/live")]
    [InlineData("../health/live")]
    [InlineData("me/notifications#fragment")]
    public async Task A_url_that_is_not_a_request_of_this_service_is_a_400_for_that_request_only(string url)
    {
        var user = service.Delegated("batch-url-user", "batch-url-app");

        var responses = await user.BatchAsync(
            Request("bad", "GET", url),
            Request("good", "GET", "me/notifications"));

        Assert.Equal(400, responses["bad"].Status());
        Assert.Equal("badRequest", responses["bad"].Body()["error"]!["code"]!.GetValue<string>());
        Assert.Equal(200, responses["good"].Status());
    }

    [Theory]
    [InlineData("http://localhost/v1.0/me/notifications")]
    [InlineData("http://localhost/beta/me/notifications")]
    [InlineData("/me/notifications?$top=1&$count=true")]
    [InlineData("me/notifications?$filter=groupName eq 'x y'")]
    [InlineData("me/notifications")]
    public async Task Urls_relative_to_the_version_root_and_absolute_ones_of_this_service_are_served(string url)
    {
        var user = service.Delegated("batch-spelling-user", "batch-spelling-app");

        var responses = await user.BatchAsync(Request("1", "GET", url));

        Assert.Equal(200, responses["1"].Status());
        Assert.NotNull(responses["1"].Body()["value"]);
    }

    [Fact]
    public async Task The_beta_batch_serves_beta_urls()
    {
        var user = service.Delegated("batch-beta-user", "batch-beta-app");

        var response = await user.PostAsync("/beta/$batch", new JsonObject
        {
            ["requests"] = new JsonArray(Request("1", "POST", "me/notifications", Bodies.Minimal())),
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var created = (await response.ReadObjectAsync())["responses"]![0]!.AsObject();
        Assert.Equal(201, created.Status());
        Assert.StartsWith("http://localhost/beta/", created.Header("Location"));
    }

    [Theory]
    [InlineData("$batch")]
    [InlineData("%24batch")]
    [InlineData("http://localhost/v1.0/%24BATCH/")]
    public async Task A_batch_inside_a_batch_is_a_400_for_that_request(string url)
    {
        var user = service.Delegated("batch-nested-user", "batch-nested-app");
        var inner = new JsonObject { ["requests"] = new JsonArray(Request("i", "POST", "me/notifications", Bodies.Minimal())) };

        var responses = await user.BatchAsync(Request("nested", "POST", url, inner));

        Assert.Equal(400, responses["nested"].Status());
        Assert.Equal(0, await user.CountAsync("me/notifications"));
    }

    [Theory]
    [InlineData("X-Bad Name", "v")]
    [InlineData("Prefer", "return=minimal\r\nX-Injected: 1")]
    public async Task A_header_a_server_would_refuse_is_a_400_for_that_request(string name, string value)
    {
        var user = service.Delegated("batch-header-user", "batch-header-app");

        var responses = await user.BatchAsync(Request("1", "POST", "me/notifications", Bodies.Minimal(), headers: new() { [name] = value }));

        Assert.Equal(400, responses["1"].Status());
        Assert.Equal(0, await user.CountAsync("me/notifications"));
    }

    [Fact]
    public async Task A_body_without_a_Content_Type_is_a_400_for_that_request()
    {
        var user = service.Delegated("batch-ct-user", "batch-ct-app");
        var request = Request("1", "POST", "me/notifications");
        request["body"] = Bodies.Minimal();

        var responses = await user.BatchAsync(request);

        Assert.Equal(400, responses["1"].Status());
        Assert.Contains("Content-Type", responses["1"].Body()["error"]!["message"]!.GetValue<string>());
        Assert.Equal(0, await user.CountAsync("me/notifications"));
    }

    [Fact]
    public async Task A_batch_that_is_not_JSON_is_a_415()
    {
        var response = await service.Delegated("batch-415-user", "batch-415-app")
            .PostAsync("$batch", new StringContent("--batch_1\r\n", System.Text.Encoding.UTF8, "multipart/mixed"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupportedMediaType", (await response.ReadObjectAsync())["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_atomicity_group_on_the_in_memory_store_is_refused_whole_with_a_501()
    {
        var user = service.Delegated("batch-inmemory-user", "batch-inmemory-app");

        var response = await user.PostBatchAsync(
            Request("1", "POST", "me/notifications", Bodies.Minimal()),
            Request("2", "POST", "me/notifications", Bodies.Minimal(), atomicityGroup: "g"));

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Equal("notImplemented", (await response.ReadObjectAsync())["error"]!["code"]!.GetValue<string>());
        Assert.Equal(0, await user.CountAsync("me/notifications"));
    }

    [Fact]
    public async Task A_batch_larger_than_the_body_limit_is_a_413()
    {
        var user = service.Delegated("batch-413-user", "batch-413-app");
        var requests = Enumerable.Range(1, 20)
            .Select(i => Request($"{i}", "POST", "me/notifications", Bodies.Minimal(new string('x', 4000))))
            .ToArray();

        var response = await user.PostBatchAsync(requests);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await user.CountAsync("me/notifications"));
    }

    [Fact]
    public async Task Each_sub_request_counts_against_the_rate_limit()
    {
        using var limited = service.WithWebHostBuilder(b => b.UseSetting("Limits:PermitsPerUser", "4"));
        var client = limited.CreateClient(new() { BaseAddress = new Uri("http://localhost/v1.0/") });
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Delegated("batch-throttled-user", "batch-throttled-app"));

        // The batch itself takes one permit of four; its first three requests the rest.
        var responses = await client.BatchAsync(Enumerable.Range(1, 5).Select(i => Request($"{i}", "GET", "me/notifications")).ToArray());

        Assert.Equal([200, 200, 200, 429, 429], responses.Values.Select(r => r.Status()));
        Assert.NotNull(responses["4"].Header("Retry-After"));
        Assert.Equal("tooManyRequests", responses["5"].Body()["error"]!["code"]!.GetValue<string>());
    }
}
