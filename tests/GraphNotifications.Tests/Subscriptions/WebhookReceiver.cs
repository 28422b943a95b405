using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace GraphNotifications.Tests.Subscriptions;

/// <summary>How a <see cref="WebhookReceiver"/> answers the validation request.</summary>
public enum ReceiverAnswer
{
    /// <summary>200 with the token as text/plain, as Graph asks.</summary>
    Token,
    WrongToken,
    ServerError,
    /// <summary>Never answers (until the caller gives up).</summary>
    Silence,
    /// <summary>A 307 to another receiver that would answer the token.</summary>
    Redirect,
}

/// <summary>A notification endpoint on a loopback port: a tiny Kestrel app that records every request it gets.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private LoopbackApp _app = null!;

    private WebhookReceiver()
    {
    }

    public ReceiverAnswer Answer { get; set; } = ReceiverAnswer.Token;

    /// <summary>Where <see cref="ReceiverAnswer.Redirect"/> sends the caller.</summary>
    public Uri? RedirectTo { get; set; }

    /// <summary>What each request carried: its method, the decoded validationToken, and its Content-Type.</summary>
    public ConcurrentQueue<(string Method, string? Token, string? ContentType)> Requests { get; } = new();

    /// <summary>
    /// The status code a change notification (a POST without validationToken) is answered with: 202 as Graph asks,
    /// or a failure the test chooses. Validation requests are answered by <see cref="Answer"/> whatever this says.
    /// </summary>
    public int NotificationStatus { get; set; } = StatusCodes.Status202Accepted;

    /// <summary>Whether a change notification POST is cut off (the connection aborted, no answer): a webhook that is down.</summary>
    public bool AbortNotifications { get; set; }

    /// <summary>How long each change notification POST is held before its answer: a slow webhook, so a test can act mid-delivery.</summary>
    public TimeSpan NotificationDelay { get; set; }

    /// <summary>Every change notification item accepted (2xx), in the order they arrived, with when they arrived.</summary>
    public ConcurrentQueue<(JsonObject Item, DateTimeOffset ArrivedAt)> Notifications { get; } = new();

    /// <summary>How many change notification POSTs were refused (answered other than 2xx).</summary>
    public int Refused => _refused;

    private int _refused;

    /// <summary>Waits until <paramref name="condition"/> holds over the accepted items, or fails after <paramref name="timeout"/> (5 s by default).</summary>
    public async Task<JsonObject[]> WaitForAsync(Func<JsonObject[], bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var items = Notifications.Select(n => n.Item).ToArray();
            if (condition(items))
            {
                return items;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline,
                $"The receiver did not get the expected notifications in time; it has {items.Length}: {string.Join(", ", items.Select(i => i["changeType"] + " " + i["resourceData"]?["id"]))}");
            await Task.Delay(25);
        }
    }

    /// <summary>The endpoint's URL, <c>http://127.0.0.1:{port}/webhook</c>.</summary>
    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        receiver._app = await LoopbackApp.StartAsync(receiver.HandleAsync);
        receiver.Url = new Uri(receiver._app.Address, "/webhook");
        return receiver;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        string? token = context.Request.Query["validationToken"];
        Requests.Enqueue((context.Request.Method, token, context.Request.ContentType));
        if (token is null && context.Request.Method == HttpMethods.Post)
        {
            await ReceiveNotificationsAsync(context);
            return;
        }

        switch (Answer)
        {
            case ReceiverAnswer.Token:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(token ?? string.Empty);
                break;
            case ReceiverAnswer.WrongToken:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("not-the-token");
                break;
            case ReceiverAnswer.ServerError:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                break;
            case ReceiverAnswer.Silence:
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                break;
            case ReceiverAnswer.Redirect:
                context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                context.Response.Headers.Location = RedirectTo!.ToString() + context.Request.QueryString;
                break;
        }
    }

    private async Task ReceiveNotificationsAsync(HttpContext context)
    {
        if (AbortNotifications)
        {
            Interlocked.Increment(ref _refused);
            context.Abort();
            return;
        }

        var body = await JsonNode.ParseAsync(context.Request.Body);
        if (NotificationDelay > TimeSpan.Zero)
        {
            await Task.Delay(NotificationDelay);
        }

        if (NotificationStatus is < 200 or > 299)
        {
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = NotificationStatus;
            return;
        }

        var arrived = DateTimeOffset.UtcNow;
        foreach (var item in body!["value"]!.AsArray())
        {
            Notifications.Enqueue((item!.AsObject(), arrived));
        }

        context.Response.StatusCode = NotificationStatus;
    }
}
