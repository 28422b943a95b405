using System.Net;
using GraphNotifications.Api.Streams;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GraphNotifications.Tests.Streams;

/// <summary>The stream's service on a SQLite file, with small limits and a clock the tests move.</summary>
public sealed class LimitedStreamFactory : SqliteServiceFactory
{
    public const int PerUser = 2;
    public const int PerInstance = 3;

    public LimitedStreamFactory()
    {
        Settings =
        [
            ("Streams:MaxStreamsPerUser", PerUser.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Streams:MaxStreamsPerInstance", PerInstance.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Streams:RetryAfter", "00:00:07"),
            // The shortest retention, so that the clock moves minutes past it, not days: every timer on the fake clock
            // (sweepers, checkpoints) fires for each period it is moved over.
            ("ChangeLog:Retention", "00:01:00"),
        ];
        TestServices = services => services.AddSingleton<TimeProvider>(Clock);
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
}

/// <summary>
/// The stream's limits (per user, per instance: a Graph error with Retry-After) and a resume past the change log's
/// retention (an error event that says to sync again).
/// </summary>
public sealed class StreamLimitsTests(LimitedStreamFactory service) : IClassFixture<LimitedStreamFactory>
{
    [Fact]
    public async Task Streams_beyond_the_limit_per_user_are_a_429_and_beyond_the_limit_per_instance_a_503_with_Retry_After()
    {
        var hub = service.Services.GetRequiredService<StreamHub>();
        await WaitUntilAsync(() => hub.Count == 0);
        var app = service.AppOnly("limits-app");
        var open = new List<EventStream>();
        try
        {
            for (int i = 0; i < LimitedStreamFactory.PerUser; i++)
            {
                open.Add(await EventStream.OpenOkAsync(app, "users/limits-a/notifications/delta"));
            }

            await using (var refused = await EventStream.OpenAsync(app, "users/limits-a/notifications/delta"))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, refused.Response.StatusCode);
                Assert.Equal("7", refused.Response.Headers.GetValues("Retry-After").Single());
                Assert.Equal("tooManyRequests", (await refused.Response.ReadObjectAsync()).ErrorCode());
            }

            open.Add(await EventStream.OpenOkAsync(app, "users/limits-b/notifications/delta"));
            await using (var refused = await EventStream.OpenAsync(app, "users/limits-c/notifications/delta"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Response.StatusCode);
                Assert.Equal("7", refused.Response.Headers.GetValues("Retry-After").Single());
                Assert.Equal("serviceUnavailable", (await refused.Response.ReadObjectAsync()).ErrorCode());
            }
        }
        finally
        {
            foreach (var stream in open)
            {
                await stream.DisposeAsync();
            }
        }

        // A closed stream frees its place.
        await WaitUntilAsync(() => hub.Count == 0);
        await using var again = await EventStream.OpenOkAsync(app, "users/limits-c/notifications/delta");
    }

    [Fact]
    public async Task Resuming_past_the_change_logs_retention_is_an_error_event_that_says_to_sync_again()
    {
        var hub = service.Services.GetRequiredService<StreamHub>();
        await WaitUntilAsync(() => hub.Count == 0);
        var client = service.ClientWith(TestTokens.AppOnly("retention-app", tweak: d => d.Expires = DateTime.UtcNow.AddDays(30)));
        await client.CreateAsync("users/retention-u/notifications");
        string eventId;
        await using (var stream = await EventStream.OpenOkAsync(client, "users/retention-u/notifications/delta"))
        {
            await stream.NextEventAsync();
            Assert.Equal("synced", (await stream.NextEventAsync()).Type);
            eventId = stream.LastEventId!;
        }

        service.Clock.Advance(TimeSpan.FromMinutes(2));
        await using var resumed = await EventStream.OpenOkAsync(client, "users/retention-u/notifications/delta", eventId);

        var error = await resumed.NextEventAsync();
        Assert.Equal("error", error.Type);
        Assert.Equal("syncStateNotFound", error.Json.ErrorCode());
        Assert.Contains("retention", error.Json.ErrorMessage(), StringComparison.Ordinal);
        Assert.Null(await resumed.NextAsync());
    }

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
