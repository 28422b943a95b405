using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.ChangeLog;
using GraphNotifications.Api.Storage.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace GraphNotifications.Api.Subscriptions.Delivery;

/// <summary>
/// Records what a delivery did. Every write is fenced on the claim: it changes the subscription only while this
/// instance still holds it, so an instance whose lease lapsed (paused, partitioned) cannot move a position that
/// another instance now owns. Each returns whether the claim was still held.
/// </summary>
internal sealed class DeliveryLedger(NotificationsDbContext db, string instanceId)
{
    private IQueryable<Subscription> Held(string id) => db.Subscriptions.Where(s => s.Id == id && s.ClaimedBy == instanceId);

    /// <summary>Delivered (or filtered out) through <paramref name="position"/>: the position moves on, the failure run ends, the lease is extended.</summary>
    public async Task<bool> AdvanceAsync(string id, ChangeLogPosition position, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        long sequence = position.Sequence, transactionId = position.TransactionId;
        bool storesTransaction = ChangeLogVisibility.OrdersByTransaction(db);
        return await Held(id).ExecuteUpdateAsync(u =>
        {
            u.SetProperty(s => s.DeliveredThrough, sequence)
                .SetProperty(s => s.ClaimExpiresAt, leaseUntil.UtcTicks)
                .SetProperty(s => s.FirstFailureAt, (long?)null)
                .SetProperty(s => s.DeliveryAttempts, 0)
                .SetProperty(s => s.LastDeliveryError, (string?)null);
            if (storesTransaction)
            {
                u.SetProperty(s => s.DeliveredThroughTransaction, transactionId);
            }
        }, cancellationToken) == 1;
    }

    /// <summary>Nothing more to deliver now: the claim is given up.</summary>
    public Task ReleaseAsync(string id, CancellationToken cancellationToken) =>
        Held(id).ExecuteUpdateAsync(u => u.SetProperty(s => s.ClaimedBy, (string?)null).SetProperty(s => s.ClaimExpiresAt, 0L), cancellationToken);

    /// <summary>
    /// A failed attempt: the claim is given up until <paramref name="nextAttempt"/>, or for good when
    /// <paramref name="failedAt"/> is set (the retry window has ended).
    /// </summary>
    public async Task<bool> FailAsync(string id, string error, DateTimeOffset now, DateTimeOffset nextAttempt, DateTimeOffset? failedAt,
        CancellationToken cancellationToken)
    {
        string reason = error.Length <= SubscriptionConfiguration.MaxDeliveryErrorLength ? error : error[..SubscriptionConfiguration.MaxDeliveryErrorLength];
        long nowTicks = now.UtcTicks;
        return await Held(id).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.ClaimedBy, (string?)null)
            .SetProperty(s => s.ClaimExpiresAt, 0L)
            .SetProperty(s => s.FirstFailureAt, s => s.FirstFailureAt ?? nowTicks)
            .SetProperty(s => s.DeliveryAttempts, s => s.DeliveryAttempts + 1)
            .SetProperty(s => s.NextAttemptAt, nextAttempt.UtcTicks)
            .SetProperty(s => s.LastDeliveryError, reason)
            .SetProperty(s => s.DeliveryFailedDateTime, failedAt), cancellationToken) == 1;
    }
}
