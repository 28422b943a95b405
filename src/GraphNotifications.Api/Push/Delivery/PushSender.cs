using System.Net;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.Push;
using GraphNotifications.Api.Subscriptions.Delivery;
using GraphNotifications.Api.Telemetry;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Push.Delivery;

/// <summary>
/// Sends one claimed push (<see cref="PendingPush"/>) with Lib.Net.Http.WebPush: the payload encrypted with
/// <c>aes128gcm</c> (RFC 8291) to the endpoint's keys, signed with the service's VAPID key (RFC 8292), <c>TTL</c> the
/// seconds until the notification expires (at most <see cref="PushOptions.MaxTimeToLive"/>), <c>Urgency</c> from its
/// priority, and no <c>Topic</c>: a push service replaces a pending message with the same topic, which would lose one.
/// </summary>
/// <remarks>
/// Accepted (2xx): the push is deleted. 404 or 410: the subscription is gone for good; the endpoint is deleted with
/// its pending pushes. 429, 5xx, no answer in time, or no connection: tried again after the backoff, or after the
/// push service's <c>Retry-After</c> if later. Any other answer (400, 401, 403, 413…) would come again: the push is
/// dropped and the endpoint's <c>lastDeliveryError</c> says why. A show whose notification is gone or has expired is
/// dropped unsent; so is any push still failing after <see cref="PushOptions.RetryWindow"/>.
/// </remarks>
public sealed partial class PushSender(
    NotificationsDbContext db,
    VapidKeys vapidKeys,
    IHttpClientFactory clients,
    GraphMetrics metrics,
    IOptions<PushOptions> options,
    TimeProvider clock,
    ILogger<PushSender> logger)
{
    public const string ClientName = "webpush";

    public async Task SendAsync(long sequence, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var push = await db.PendingPushes.AsNoTracking().FirstOrDefaultAsync(p => p.Sequence == sequence, cancellationToken);
        if (push is null || push.ClaimedBy != settings.InstanceId)
        {
            return;
        }

        var endpoint = await db.PushEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == push.EndpointId, cancellationToken);
        var notification = await db.Notifications.AsNoTracking().FirstOrDefaultAsync(n => n.Id == push.NotificationId, cancellationToken);
        var now = clock.GetUtcNow();
        if (endpoint is null)
        {
            await DeleteAsync(sequence, cancellationToken);
            return;
        }

        var expiry = notification?.ExpirationDateTime;
        if (push.Kind == PushKind.Show && (notification is null || expiry <= now))
        {
            // Nothing left to show: the notification was deleted, or expired, before it could be pushed.
            await DeleteAsync(sequence, cancellationToken);
            return;
        }

        if (now - new DateTimeOffset(push.EnqueuedAt, TimeSpan.Zero) > settings.RetryWindow)
        {
            LogGaveUp(logger, push.EndpointId, settings.RetryWindow);
            metrics.PushFailed("expired");
            await DeleteAsync(sequence, cancellationToken);
            return;
        }

        var ttl = expiry is { } until && until - now < settings.MaxTimeToLive ? until - now : settings.MaxTimeToLive;
        var message = new PushMessage(push.Kind == PushKind.Show ? PushPayload.Show(notification!) : PushPayload.Close(push.NotificationId))
        {
            TimeToLive = (int)Math.Max(0, Math.Ceiling(ttl.TotalSeconds)),
            Urgency = PushPayload.UrgencyOf(notification?.Priority),
            Topic = null,
        };
        var subscription = new PushSubscription
        {
            Endpoint = endpoint.Endpoint,
            Keys = new Dictionary<string, string> { ["p256dh"] = endpoint.Keys.P256dh, ["auth"] = endpoint.Keys.Auth },
        };

        var (status, error, retryAfter) = await DeliverAsync(subscription, message, cancellationToken);
        now = clock.GetUtcNow();
        if (error is null)
        {
            metrics.PushSent(PushPayload.Describe(push.Kind));
            await DeleteAsync(sequence, cancellationToken);
            await db.PushEndpoints.Where(e => e.Id == endpoint.Id).ExecuteUpdateAsync(u => u
                .SetProperty(e => e.LastDeliveryDateTime, now)
                .SetProperty(e => e.LastDeliveryError, (string?)null), cancellationToken);
            return;
        }

        if (status is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            // The push service forgot the subscription (the user unsubscribed, the browser was reset): it never comes back.
            LogRemoved(logger, endpoint.Id, (int)status);
            metrics.PushEndpointRemoved();
            await db.PushEndpoints.Where(e => e.Id == endpoint.Id).ExecuteDeleteAsync(cancellationToken);
            return;
        }

        await RecordErrorAsync(endpoint.Id, error, cancellationToken);
        bool retryable = status is null or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;
        metrics.PushFailed(status is null ? "unreachable" : ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!retryable)
        {
            LogDropped(logger, endpoint.Id, error);
            await DeleteAsync(sequence, cancellationToken);
            return;
        }

        var backoff = Backoff.Delay(push.Attempts + 1, settings.RetryBase, settings.RetryCap);
        var next = now + (retryAfter is { } wait && wait > backoff ? wait : backoff);
        LogRetrying(logger, endpoint.Id, next, error);
        long nextTicks = next.UtcTicks;
        await db.PendingPushes.Where(p => p.Sequence == sequence && p.ClaimedBy == settings.InstanceId).ExecuteUpdateAsync(u => u
            .SetProperty(p => p.Attempts, p => p.Attempts + 1)
            .SetProperty(p => p.NextAttemptAt, nextTicks)
            .SetProperty(p => p.ClaimedBy, (string?)null)
            .SetProperty(p => p.ClaimExpiresAt, 0L), cancellationToken);
    }

    /// <summary>Null error when the push service accepted the message; else its status (null: no answer) and why, and its Retry-After.</summary>
    private async Task<(HttpStatusCode? Status, string? Error, TimeSpan? RetryAfter)> DeliverAsync(PushSubscription subscription, PushMessage message,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // The library signs with an audience without the port; VapidAuthorizationHandler, on the client's pipeline,
        // signs again for the whole origin. Retries are the outbox's, durable, not the library's.
        var keys = await vapidKeys.GetAsync(cancellationToken);
        using var vapid = new VapidAuthentication(keys.PublicKey, keys.PrivateKey) { Subject = settings.VapidSubject };
        var client = new PushServiceClient(clients.CreateClient(ClientName))
        {
            AutoRetryAfter = false,
            DefaultAuthentication = vapid,
            DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid,
        };
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(settings.Timeout);
        try
        {
            await client.RequestPushMessageDeliveryAsync(subscription, message, timer.Token);
            return (null, null, null);
        }
        catch (PushServiceClientException ex)
        {
            var retryAfter = ex.Headers?.RetryAfter is { } header
                ? header.Delta ?? (header.Date is { } date ? date - clock.GetUtcNow() : null)
                : null;
            return (ex.StatusCode, $"The push service answered {(int)ex.StatusCode} {ex.StatusCode}.", retryAfter);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"The push service did not answer within {settings.Timeout.TotalSeconds:0.###} seconds.", null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // Not the socket error: it would tell a caller what an address does (as webhooks).
            LogUnreachable(logger, ex.Message);
            return (null, "The push service could not be reached.", null);
        }
    }

    private Task<int> DeleteAsync(long sequence, CancellationToken cancellationToken) =>
        db.PendingPushes.Where(p => p.Sequence == sequence).ExecuteDeleteAsync(cancellationToken);

    private Task<int> RecordErrorAsync(string endpointId, string error, CancellationToken cancellationToken) =>
        db.PushEndpoints.Where(e => e.Id == endpointId).ExecuteUpdateAsync(u => u.SetProperty(e => e.LastDeliveryError, error), cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Push endpoint {EndpointId} answered {Status}: deleted, with its pending pushes")]
    private static partial void LogRemoved(ILogger logger, string endpointId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A push to endpoint {EndpointId} failed; retrying at {NextAttempt}: {Error}")]
    private static partial void LogRetrying(ILogger logger, string endpointId, DateTimeOffset nextAttempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A push to endpoint {EndpointId} was refused and dropped: {Error}")]
    private static partial void LogDropped(ILogger logger, string endpointId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A push to endpoint {EndpointId} failed for {RetryWindow}; dropped")]
    private static partial void LogGaveUp(ILogger logger, string endpointId, TimeSpan retryWindow);

    [LoggerMessage(Level = LogLevel.Information, Message = "A push service could not be reached: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string reason);
}
