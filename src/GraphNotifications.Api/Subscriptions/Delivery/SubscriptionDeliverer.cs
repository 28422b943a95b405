using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.ChangeLog;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Subscriptions.Delivery;

/// <summary>
/// Delivers one claimed subscription's pending changes, a batch per POST, oldest first, until none is left or a POST
/// fails. Only the claim holder delivers, so the webhook gets a subscription's changes in log order; a position is
/// moved only after the webhook accepted the batch, so a crash between the two delivers the batch again (at least once).
/// </summary>
public sealed partial class SubscriptionDeliverer(
    NotificationsDbContext db,
    ChangeLogReader log,
    WebhookPost webhook,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<SubscriptionDeliverer> logger)
{
    public async Task DeliverAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var ledger = new DeliveryLedger(db, settings.InstanceId);
        var subscription = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == subscriptionId, cancellationToken);
        if (subscription is null || subscription.ClaimedBy != settings.InstanceId)
        {
            return;
        }

        var position = new ChangeLogPosition(subscription.DeliveredThroughTransaction, subscription.DeliveredThrough);
        var feed = new AppScope(subscription.TenantId, subscription.ApplicationId!);
        while (!cancellationToken.IsCancellationRequested)
        {
            var entries = await log.FeedChangesAsync(feed, subscription.ResourceUserId, position, [], settings.BatchSize, cancellationToken);
            if (entries.Count == 0)
            {
                break;
            }

            var selected = entries.Where(e => ChangeNotifications.Selects(subscription, e)).ToList();
            if (selected.Count > 0
                && await webhook.SendAsync(subscription.NotificationUrl, ChangeNotifications.Collection(subscription, selected), settings.Timeout, cancellationToken)
                    is { } error)
            {
                await FailAsync(ledger, subscription, error, cancellationToken);
                return;
            }

            position = entries[^1].Position;
            if (!await ledger.AdvanceAsync(subscriptionId, position, clock.GetUtcNow() + settings.ClaimLease, cancellationToken))
            {
                // The lease lapsed and another instance took over: it delivers from the stored position on.
                LogClaimLost(logger, subscriptionId);
                return;
            }
        }

        await ledger.ReleaseAsync(subscriptionId, CancellationToken.None);
    }

    private async Task FailAsync(DeliveryLedger ledger, Resources.Subscription subscription, string error, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var firstFailure = subscription.FirstFailureAt is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : now;
        bool givingUp = now - firstFailure >= settings.RetryWindow;
        var next = now + Backoff.Delay(subscription.DeliveryAttempts + 1, settings.RetryBase, settings.RetryCap);
        if (!await ledger.FailAsync(subscription.Id, error, now, next, givingUp ? now : null, cancellationToken))
        {
            return;
        }

        if (!givingUp)
        {
            LogRetrying(logger, subscription.Id, next, error);
            return;
        }

        LogGaveUp(logger, subscription.Id, settings.RetryWindow, error);
        if (subscription.LifecycleNotificationUrl is { } lifecycleUrl)
        {
            await webhook.SendAsync(lifecycleUrl, ChangeNotifications.Removed(subscription), settings.Timeout, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery to subscription {SubscriptionId} failed; retrying at {NextAttempt}: {Error}")]
    private static partial void LogRetrying(ILogger logger, string subscriptionId, DateTimeOffset nextAttempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery to subscription {SubscriptionId} failed for {RetryWindow}; marked failed until renewed: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string subscriptionId, TimeSpan retryWindow, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the claim on subscription {SubscriptionId} (lease lapsed); another instance delivers it")]
    private static partial void LogClaimLost(ILogger logger, string subscriptionId);
}
