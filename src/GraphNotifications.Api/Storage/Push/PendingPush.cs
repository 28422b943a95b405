namespace GraphNotifications.Api.Storage.Push;

/// <summary>
/// One push still to be sent to one endpoint: the outbox of Web Push delivery (table <c>PendingPushes</c>). Rows are
/// written from the change log (<see cref="PushOutboxFill"/>), in the transaction that moves the outbox's position
/// in the log, so each change is turned into pushes once. A row is deleted when the push service accepted it, or when
/// it can never be sent; a crash between the two sends it again (at least once).
/// </summary>
public sealed class PendingPush
{
    /// <summary>A database identity: the order of an endpoint's pushes.</summary>
    public long Sequence { get; init; }

    public required string EndpointId { get; init; }

    public required string NotificationId { get; init; }

    public required PushKind Kind { get; init; }

    /// <summary>When the change was written into the outbox (UTC ticks); the retry window counts from it.</summary>
    public required long EnqueuedAt { get; init; }

    /// <summary>No attempt before this (UTC ticks; the backoff after a failure, or a push service's Retry-After).</summary>
    public long NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>The instance sending it; only the holder sends, until <see cref="ClaimExpiresAt"/>.</summary>
    public string? ClaimedBy { get; set; }

    public long ClaimExpiresAt { get; set; }
}

/// <summary>What a push asks the user agent to do.</summary>
public enum PushKind
{
    /// <summary>Show the notification: it entered the user's feed.</summary>
    Show,

    /// <summary>Close it: the user read, activated or dismissed it, or it left the feed.</summary>
    Close,
}
