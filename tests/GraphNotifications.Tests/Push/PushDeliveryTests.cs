using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Push;

/// <summary>
/// Web Push end to end on SQLite: endpoints registered as a browser would, notifications entering the feed, and a
/// push service on loopback that checks the VAPID signature against the served key and decrypts each payload with
/// http_ece (node), an implementation the service does not use.
/// </summary>
public sealed class PushDeliveryTests(PushFactory service) : IClassFixture<PushFactory>
{
    private static JsonObject Notification(string title, string body, string priority, string[]? platforms, DateTimeOffset? expiry = null)
    {
        var notification = new JsonObject
        {
            ["targetHostName"] = "push.test",
            ["payload"] = new JsonObject { ["visualContent"] = new JsonObject { ["title"] = title, ["body"] = body } },
            ["priority"] = priority,
            ["groupName"] = "inbox",
            ["displayTimeToLive"] = 60,
        };
        if (platforms is not null)
        {
            notification["targetPolicy"] = new JsonObject { ["platformTypes"] = new JsonArray([.. platforms.Select(p => (JsonNode)p)]) };
        }

        if (expiry is { } when)
        {
            notification["expirationDateTime"] = when.UtcDateTime.ToString("O");
        }

        return notification;
    }

    private async Task<(PushServiceStub Stub, HttpClient User, HttpClient App, string UserId)> StartAsync(params string[] subscriptions)
    {
        var anonymous = service.ClientWith(null);
        var key = await anonymous.GetFromJsonAsync<JsonObject>("pushEndpoints/vapidPublicKey");
        var stub = await PushServiceStub.StartAsync(service.Agents, key!["publicKey"]!.GetValue<string>());
        string app = "push-app-" + Guid.NewGuid().ToString("N")[..8], user = "push-user-" + Guid.NewGuid().ToString("N")[..8];
        var userClient = service.Delegated(user, app);
        foreach (string name in subscriptions)
        {
            var (_, body) = await stub.SubscribeAsync(name);
            var registered = await userClient.PostAsync("me/pushEndpoints", Bodies.Json(body));
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        return (stub, userClient, service.AppOnly(app), user);
    }

    private static async Task<string> CreateAsync(HttpClient app, string userId, JsonObject notification)
    {
        var created = await app.PostAsync($"users/{userId}/notifications", Bodies.Json(notification));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_notification_entering_the_feed_reaches_every_webPush_endpoint_encrypted_signed_and_shaped_by_its_priority_and_expiry()
    {
        var (stub, _, app, user) = await StartAsync("laptop", "phone");
        await using var _ = stub;
        var expiry = DateTimeOffset.UtcNow.AddHours(1);

        string id = await CreateAsync(app, user, Notification("Build failed", "main is red", "High", ["webPush"], expiry));

        var received = await stub.WaitForAsync(r => r.Count(p => p.Status == 201) == 2);
        Assert.Equal(["laptop", "phone"], received.Select(r => r.Subscription).Order());
        Assert.All(received, push =>
        {
            Assert.Null(push.VapidProblem);
            Assert.Null(push.DecryptError);
            Assert.Equal("aes128gcm", push.ContentEncoding);
            Assert.Equal("high", push.Urgency);
            Assert.Null(push.Topic);
            int ttl = int.Parse(push.Ttl!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(ttl, 3000, 3600);
            var payload = push.Payload!;
            Assert.Equal("show", payload["action"]!.GetValue<string>());
            Assert.Equal(id, payload["id"]!.GetValue<string>());
            Assert.Equal("Build failed", payload["title"]!.GetValue<string>());
            Assert.Equal("main is red", payload["body"]!.GetValue<string>());
            Assert.Equal("High", payload["priority"]!.GetValue<string>());
            Assert.Equal("inbox", payload["group"]!.GetValue<string>());
            Assert.Equal(60, payload["displayTimeToLive"]!.GetValue<int>());
            Assert.Equal($"/v1.0/me/notifications/{id}", payload["url"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task A_policy_without_webPush_is_not_pushed_an_absent_one_is_and_Low_priority_is_low_urgency()
    {
        var (stub, _, app, user) = await StartAsync("laptop");
        await using var _ = stub;

        string windowsOnly = await CreateAsync(app, user, Notification("for Windows", "only", "High", ["windows"]));
        string anyPlatform = await CreateAsync(app, user, Notification("for anyone", "no policy", "Low", platforms: null));
        string mixedCase = await CreateAsync(app, user, Notification("for the web", "WEBPUSH", "None", ["android", "WEBPUSH"]));

        // An endpoint's pushes arrive in the log's order: once the last is in, the first had its turn.
        var received = await stub.WaitForAsync(r => r.Any(p => p.Payload?["id"]?.GetValue<string>() == mixedCase));
        var ids = received.Select(r => r.Payload!["id"]!.GetValue<string>()).ToList();
        Assert.Equal([anyPlatform, mixedCase], ids);
        Assert.DoesNotContain(windowsOnly, ids);
        Assert.Equal("low", received[0].Urgency);
        Assert.Contains(received[1].Urgency, new[] { "normal", null });
        // Without an expiry of its own a notification expires in 30 days; a push asks at most 28.
        Assert.Equal(28 * 24 * 3600, int.Parse(received[0].Ttl!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_link_by_ref_is_pushed_and_reading_it_pushes_a_close()
    {
        var (stub, userClient, app, user) = await StartAsync("laptop");
        await using var _ = stub;
        string id = await CreateAsync(app, user, Notification("shared", "with you", "None", ["webPush"]));
        await stub.WaitForAsync(r => r.Length == 1);
        Assert.Equal(HttpStatusCode.NoContent, (await userClient.DeleteAsync($"me/notifications/{id}/$ref")).StatusCode);
        await stub.WaitForAsync(r => r.Length == 2);

        var linked = await app.PostAsync($"users/{user}/notifications/$ref",
            Bodies.Json(new JsonObject { ["@odata.id"] = $"http://localhost/v1.0/notifications('{id}')" }));
        Assert.Equal(HttpStatusCode.NoContent, linked.StatusCode);
        await stub.WaitForAsync(r => r.Length == 3);
        var read = await userClient.PatchAsync($"me/notifications/{id}", Bodies.Json(new JsonObject { ["readState"] = "read" }));
        Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);

        var received = await stub.WaitForAsync(r => r.Length == 4);
        Assert.Equal(["show", "close", "show", "close"], received.Select(r => r.Payload!["action"]!.GetValue<string>()));
        Assert.All(received, r => Assert.Equal(id, r.Payload!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Title_and_body_too_long_for_a_push_are_cut_with_an_ellipsis_to_fit_4_KB()
    {
        var (stub, _, app, user) = await StartAsync("laptop");
        await using var _ = stub;
        string title = string.Concat(Enumerable.Repeat("€", 4096)), body = string.Concat(Enumerable.Repeat("b", 4096));

        await CreateAsync(app, user, Notification(title, body, "None", ["webPush"]));

        var push = (await stub.WaitForAsync(r => r.Length == 1)).Single();
        Assert.Equal(201, push.Status);
        string shownTitle = push.Payload!["title"]!.GetValue<string>(), shownBody = push.Payload!["body"]!.GetValue<string>();
        Assert.True(shownTitle.EndsWith('…') || shownBody.EndsWith('…'), "nothing was cut");
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(push.Payload.ToJsonString()) <= 4096 - 103);
        Assert.StartsWith(shownTitle.TrimEnd('…'), title, StringComparison.Ordinal);
        Assert.StartsWith(shownBody.TrimEnd('…'), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_answered_410_is_deleted_with_its_pending_pushes()
    {
        var (stub, userClient, app, user) = await StartAsync("gone");
        await using var _ = stub;
        stub.AnswerNext("gone", 410);

        await CreateAsync(app, user, Notification("one", "1", "None", ["webPush"]));

        await stub.WaitForAsync(r => r.Length == 1);
        await WaitUntilAsync(async () => (await userClient.GetFromJsonAsync<JsonObject>("me/pushEndpoints"))!["value"]!.AsArray().Count == 0);
        await CreateAsync(app, user, Notification("two", "2", "None", ["webPush"]));
        // A second endpoint proves the second notification's pushes were made: none went to the deleted one.
        var (_, body) = await stub.SubscribeAsync("new");
        Assert.Equal(HttpStatusCode.Created, (await userClient.PostAsync("me/pushEndpoints", Bodies.Json(body))).StatusCode);
        await CreateAsync(app, user, Notification("three", "3", "None", ["webPush"]));
        var received = await stub.WaitForAsync(r => r.Any(p => p.Subscription == "new"));
        Assert.Single(received, r => r.Subscription == "gone");
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_after_it_and_the_endpoint_keeps_its_order()
    {
        var (stub, userClient, app, user) = await StartAsync("busy");
        await using var _ = stub;
        stub.AnswerNext("busy", 429, "1");

        string first = await CreateAsync(app, user, Notification("first", "1", "None", ["webPush"]));
        string second = await CreateAsync(app, user, Notification("second", "2", "None", ["webPush"]));

        var received = await stub.WaitForAsync(r => r.Count(p => p.Status == 201) == 2);
        Assert.Equal([(429, first), (201, first), (201, second)], received.Select(r => (r.Status, r.Payload!["id"]!.GetValue<string>())));
        var endpoint = (await userClient.GetFromJsonAsync<JsonObject>("me/pushEndpoints"))!["value"]![0]!;
        Assert.NotNull(endpoint["lastDeliveryDateTime"]);
        Assert.Null(endpoint["lastDeliveryError"]);
    }

    [Fact]
    public async Task Telemetry_counts_each_send_failure_and_removal()
    {
        var factory = service.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var counts = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            // This host's meters only: other test classes' hosts count their own pushes at the same time.
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name.StartsWith("graphnotifications.push.", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        var (stub, _, app, user) = await StartAsync("busy", "gone");
        await using var _ = stub;
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string tag = tags.Length == 0 ? string.Empty : $"{{{tags[0].Value}}}";
            counts.AddOrUpdate(instrument.Name + tag, value, (_, sum) => sum + value);
        });
        listener.Start();
        stub.AnswerNext("busy", 503);
        stub.AnswerNext("gone", 410);
        long Count(string name) => counts.TryGetValue(name, out long value) ? value : 0;
        long sentBefore = Count("graphnotifications.push.sent{show}");

        await CreateAsync(app, user, Notification("counted", "1", "None", ["webPush"]));

        await WaitUntilAsync(() => Task.FromResult(Count("graphnotifications.push.sent{show}") > sentBefore && Count("graphnotifications.push.endpoints.removed") > 0));
        Assert.Equal(1, Count("graphnotifications.push.sent{show}") - sentBefore);
        Assert.Equal(1, Count("graphnotifications.push.failed{503}"));
        Assert.Equal(1, Count("graphnotifications.push.endpoints.removed"));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(50);
        }
    }
}
