namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>
/// A change to a notification inside a longer transaction (an atomicity group, an <c>Idempotency-Key</c> request)
/// met a change to the same notification that committed while it ran: saving it would log the two out of order.
/// Nothing was saved; sending the request again succeeds.
/// </summary>
public sealed class ChangeLogOrderConflictException(string notificationId)
    : Exception($"A concurrent request changed notification '{notificationId}' while this transaction ran; nothing was saved.")
{
    public string NotificationId { get; } = notificationId;
}
