namespace GraphNotifications.Api.Subscriptions.Delivery;

/// <summary>The <c>Subscriptions:Delivery</c> configuration section: how changes are delivered to webhooks.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Subscriptions:Delivery";

    /// <summary>How often the worker looks for due subscriptions; a change committed by this instance wakes it at once.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The most change-log entries one POST carries.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>How many subscriptions one instance delivers to at a time.</summary>
    public int MaxConcurrentSubscriptions { get; set; } = 16;

    /// <summary>How long a webhook has to answer a POST; no answer in time is a failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a claim lasts without being extended: a killed instance's subscriptions are taken over this long after
    /// its last delivery. At least twice <see cref="Timeout"/>, so a live holder extends it in time.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first retry's delay; each further failure doubles it (with jitter) up to <see cref="RetryCap"/>.</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetryCap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long deliveries are retried before the subscription is marked failed (Graph retries for about 4 hours).</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(4);

    /// <summary>This instance's name in claims; unique per process unless set.</summary>
    public string InstanceId { get; set; } = $"{Environment.MachineName[..Math.Min(60, Environment.MachineName.Length)]}-{Environment.ProcessId}-{Guid.NewGuid():N}";
}
