using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Streams;
using GraphNotifications.Tests.Batch;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static GraphNotifications.Tests.Delta.DeltaSync;

namespace GraphNotifications.Tests.Streams;

/// <summary>The live stream on a SQLite file.</summary>
public sealed class SqliteStreamTests(SqliteStreamFactory service) : StreamTests<SqliteStreamFactory>(service);

/// <summary>The live stream on PostgreSQL; skipped where no server is configured (failed under CI).</summary>
public sealed class PostgresStreamTests : StreamTests<PostgresStreamFactory>
{
    public PostgresStreamTests(PostgresStreamFactory service)
        : base(service) => service.Database.SkipUnlessAvailable();
}

/// <summary>
/// The live stream of a feed (<c>Accept: text/event-stream</c> on delta), as a client sees it: the feed, then every
/// change once, in commit order; resumed from the last event id without a gap or a repeat. Each test has its own app.
/// </summary>
public abstract class StreamTests<TFactory>(TFactory service) : IClassFixture<TFactory>
    where TFactory : ServiceFactoryBase, IStreamService
{
    [SkippableFact]
    public async Task A_stream_sends_the_feed_then_each_change_as_a_delta_page_writes_it()
    {
        var app = service.AppOnly("stream-app-1");
        string first = await app.CreateAsync("users/stream-u1/notifications");
        string second = await app.CreateAsync("users/stream-u1/notifications");
        await app.CreateAsync("users/stream-someone-else/notifications");
        var page = await FollowAsync(app, "users/stream-u1/notifications/delta");

        await using var stream = await EventStream.OpenOkAsync(app, "users/stream-u1/notifications/delta");
        var initial = new[] { await stream.NextEventAsync(), await stream.NextEventAsync() };
        Assert.Equal(new[] { first, second }.Order(), initial.Select(e => e.ItemId).Order());
        Assert.Equal(page.Items.Select(i => i.ToJsonString()).Order(), initial.Select(e => e.Json.ToJsonString()).Order());
        Assert.All(initial, e => Assert.Equal("message", e.Type));
        Assert.All(initial, e => Assert.NotNull(e.LastEventId));
        var synced = await stream.NextEventAsync();
        Assert.Equal("synced", synced.Type);
        Assert.StartsWith("http://localhost/v1.0/users/stream-u1/notifications/delta?$deltatoken=", synced.Json["@odata.deltaLink"]!.GetValue<string>(), StringComparison.Ordinal);

        string created = await app.CreateAsync("users/stream-u1/notifications");
        Assert.Equal(HttpStatusCode.NoContent, (await app.PatchAsync($"notifications/{first}", new JsonObject { ["groupName"] = "patched" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.DeleteAsync($"notifications/{second}")).StatusCode);

        var createdEvent = await stream.NextEventAsync();
        var patchedEvent = await stream.NextEventAsync();
        var deletedEvent = await stream.NextEventAsync();
        Assert.Equal(created, createdEvent.ItemId);
        Assert.StartsWith("W/\"", createdEvent.Json["@odata.etag"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("#microsoft.graph.notification", createdEvent.Json["@odata.type"]!.GetValue<string>());
        Assert.Equal(first, patchedEvent.ItemId);
        Assert.Equal("patched", patchedEvent.Json["groupName"]!.GetValue<string>());
        Assert.Equal(second, deletedEvent.ItemId);
        Assert.Equal("deleted", Removed(deletedEvent.Json));
    }

    [SkippableFact]
    public async Task A_client_that_leaves_in_a_burst_and_comes_back_with_Last_Event_ID_gets_every_change_exactly_once()
    {
        var app = service.AppOnly("stream-app-2");
        const int Burst = 40;
        var seen = new List<string>();
        string lastEventId;
        var burst = new List<string>();
        await using (var stream = await EventStream.OpenOkAsync(app, "users/stream-u2/notifications/delta"))
        {
            Assert.Equal("synced", (await stream.NextEventAsync()).Type);
            var creating = Task.Run(async () =>
            {
                for (int i = 0; i < Burst; i++)
                {
                    burst.Add(await app.CreateAsync("users/stream-u2/notifications"));
                }
            });
            for (int i = 0; i < Burst / 4; i++)
            {
                seen.Add((await stream.NextEventAsync()).ItemId);
            }

            lastEventId = stream.LastEventId!;
            await creating;
        }

        await using var resumed = await EventStream.OpenOkAsync(app, "users/stream-u2/notifications/delta", lastEventId);
        string sentinel = await app.CreateAsync("users/stream-u2/notifications");
        while (true)
        {
            string id = (await resumed.NextEventAsync()).ItemId;
            if (id == sentinel)
            {
                break;
            }

            seen.Add(id);
        }

        Assert.Equal(burst, seen);
    }

    [SkippableFact]
    public async Task Latest_starts_a_stream_at_now_with_nothing_replayed()
    {
        var app = service.AppOnly("stream-app-3");
        await app.CreateAsync("users/stream-u3/notifications");
        await app.CreateAsync("users/stream-u3/notifications");

        await using var stream = await EventStream.OpenOkAsync(app, "users/stream-u3/notifications/delta?$deltatoken=latest");
        string created = await app.CreateAsync("users/stream-u3/notifications");

        Assert.Equal(created, (await stream.NextEventAsync()).ItemId);
    }

    [SkippableFact]
    public async Task Latest_on_a_delta_call_is_an_empty_page_whose_delta_link_returns_what_comes_after()
    {
        var app = service.AppOnly("stream-app-4");
        await app.CreateAsync("users/stream-u4/notifications");

        var latest = await FollowAsync(app, "users/stream-u4/notifications/delta?$deltatoken=latest");
        Assert.Empty(latest.Items);
        string created = await app.CreateAsync("users/stream-u4/notifications");
        var changes = await FollowAsync(app, latest.DeltaLink);

        Assert.Equal([created], changes.Items.Select(Id));
    }

    [SkippableFact]
    public async Task A_stream_resumes_from_a_delta_link_and_an_event_id_resumes_a_delta_call()
    {
        var app = service.AppOnly("stream-app-5");
        await app.CreateAsync("users/stream-u5/notifications");
        var round = await FollowAsync(app, "users/stream-u5/notifications/delta");
        string created = await app.CreateAsync("users/stream-u5/notifications");

        string eventId;
        await using (var stream = await EventStream.OpenOkAsync(app, round.DeltaLink))
        {
            Assert.Equal(created, (await stream.NextEventAsync()).ItemId);
            eventId = stream.LastEventId!;
        }

        string later = await app.CreateAsync("users/stream-u5/notifications");
        var changes = await FollowAsync(app, $"users/stream-u5/notifications/delta?$deltatoken={Uri.EscapeDataString(eventId)}");
        Assert.Equal([later], changes.Items.Select(Id));
    }

    [SkippableFact]
    public async Task An_idle_stream_gets_a_heartbeat_comment()
    {
        var app = service.AppOnly("stream-app-6");
        await using var stream = await EventStream.OpenOkAsync(app, "users/stream-u6/notifications/delta");
        Assert.Equal("synced", (await stream.NextEventAsync()).Type);

        await stream.UntilCommentAsync("heartbeat");
    }

    [SkippableFact]
    public async Task A_reader_that_falls_behind_is_dropped_with_its_last_event_id_and_resumes_without_a_gap()
    {
        var app = service.AppOnly("stream-app-7");
        var hub = service.Services.GetRequiredService<StreamHub>();
        long droppedBefore = hub.FellBehind;
        var created = new List<string>();
        var seen = new List<string>();
        string? lastEventId;
        await using (var stream = await EventStream.OpenOkAsync(app, "users/stream-u7/notifications/delta",
            tweak: r => r.Headers.Add(ReaderHold.Header, "1")))
        {
            Assert.Equal("synced", (await stream.NextEventAsync()).Type);
            service.Hold.Hold();
            try
            {
                for (int i = 0; i < StreamService.BufferedChanges * 3; i++)
                {
                    created.Add(await app.CreateAsync("users/stream-u7/notifications"));
                }

                await WaitUntilAsync(() => hub.FellBehind > droppedBefore);
            }
            finally
            {
                service.Hold.Release();
            }

            StreamEvent? next;
            while ((next = await stream.NextAsync()) is { Type: "message" })
            {
                seen.Add(next.ItemId);
            }

            Assert.NotNull(next);
            Assert.Equal("reconnect", next.Type);
            Assert.Equal("fellBehind", next.Json["reason"]!.GetValue<string>());
            Assert.Null(await stream.NextAsync());
            lastEventId = stream.LastEventId;
        }

        Assert.True(seen.Count < created.Count, $"The held reader got all {seen.Count} changes: it never fell behind.");
        await using var resumed = await EventStream.OpenOkAsync(app, "users/stream-u7/notifications/delta", lastEventId);
        while (seen.Count < created.Count)
        {
            seen.Add((await resumed.NextEventAsync()).ItemId);
        }

        Assert.Equal(created, seen);
    }

    [SkippableFact]
    public async Task A_stream_ends_with_a_reconnect_event_when_its_token_expires()
    {
        var client = service.ClientWith(TestTokens.AppOnly("stream-app-8", tweak: d => d.Expires = DateTime.UtcNow.AddSeconds(2)));
        await using var stream = await EventStream.OpenOkAsync(client, "users/stream-u8/notifications/delta");

        // The initial sync's end may come first, or not at all on a machine slow enough to let the token expire sooner.
        var last = await stream.NextEventAsync();
        if (last.Type == "synced")
        {
            last = await stream.NextEventAsync();
        }

        Assert.Equal("reconnect", last.Type);
        Assert.Equal("tokenExpired", last.Json["reason"]!.GetValue<string>());
        Assert.Null(await stream.NextAsync());
    }

    [SkippableFact]
    public async Task A_stream_opens_with_a_token_that_expires_in_months_as_dotnet_user_jwts_mints_them()
    {
        var client = service.ClientWith(TestTokens.AppOnly("stream-app-8b", tweak: d => d.Expires = DateTime.UtcNow.AddDays(90)));
        string id = await client.CreateAsync("users/stream-u8b/notifications");
        await using var stream = await EventStream.OpenOkAsync(client, "users/stream-u8b/notifications/delta");

        Assert.Equal(id, (await stream.NextEventAsync()).ItemId);
        Assert.Equal("synced", (await stream.NextEventAsync()).Type);
    }

    [SkippableTheory]
    [InlineData("garbage")]
    [InlineData("")]
    public async Task A_Last_Event_ID_the_service_did_not_issue_is_an_error_event_that_says_to_sync_again(string lastEventId)
    {
        var app = service.AppOnly("stream-app-9");
        string id = await app.CreateAsync("users/stream-u9/notifications");
        await using var stream = await EventStream.OpenOkAsync(app, "users/stream-u9/notifications/delta", lastEventId);

        var first = await stream.NextEventAsync();
        if (lastEventId.Length == 0)
        {
            // An empty Last-Event-ID is no id at all (an EventSource that saw none sends none): a fresh sync.
            Assert.Equal(id, first.ItemId);
            return;
        }

        Assert.Equal("error", first.Type);
        Assert.Equal("syncStateNotFound", first.Json.ErrorCode());
        Assert.Null(await stream.NextAsync());
    }

    [SkippableFact]
    public async Task Another_feeds_event_id_does_not_open_this_feed()
    {
        var app = service.AppOnly("stream-app-10");
        await app.CreateAsync("users/stream-u10a/notifications");
        string eventId;
        await using (var stream = await EventStream.OpenOkAsync(app, "users/stream-u10a/notifications/delta"))
        {
            await stream.NextEventAsync();
            await stream.NextEventAsync();
            eventId = stream.LastEventId!;
        }

        await using var other = await EventStream.OpenOkAsync(app, "users/stream-u10b/notifications/delta", eventId);
        var first = await other.NextEventAsync();
        Assert.Equal("error", first.Type);
        Assert.Equal("syncStateNotFound", first.Json.ErrorCode());
    }

    [SkippableTheory]
    [InlineData("text/*")]
    [InlineData("*/*;q=0.5, text/event-stream;q=0")]
    public async Task An_Accept_that_does_not_name_the_stream_is_not_a_stream(string accept)
    {
        var app = service.AppOnly("stream-app-11");
        using var request = new HttpRequestMessage(HttpMethod.Get, "users/stream-u11/notifications/delta");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        var response = await app.SendAsync(request);

        Assert.NotEqual("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        if (accept == "text/*")
        {
            Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        }
    }

    [SkippableFact]
    public async Task Format_wins_over_an_Accept_of_the_stream()
    {
        var app = service.AppOnly("stream-app-12");
        string id = await app.CreateAsync("users/stream-u12/notifications");
        using var request = new HttpRequestMessage(HttpMethod.Get, "users/stream-u12/notifications/delta?$format=json");
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");

        var response = await app.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(id, JsonNode.Parse(text)!["value"]![0]!["id"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task A_stream_inside_a_batch_is_a_400()
    {
        var app = service.AppOnly("stream-app-13");
        var responses = await app.BatchAsync(new JsonObject
        {
            ["id"] = "1",
            ["method"] = "GET",
            ["url"] = "/users/stream-u13/notifications/delta",
            ["headers"] = new JsonObject { ["Accept"] = "text/event-stream" },
        });

        Assert.Equal(400, responses["1"].Status());
        Assert.Equal("badRequest", responses["1"]["body"]!["error"]!["code"]!.GetValue<string>());
    }

    // Waits for something the service does in the background, without a fixed delay.
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The service did not get there within 30 s.");
            await Task.Delay(10);
        }
    }
}
