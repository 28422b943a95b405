namespace GraphNotifications.Api.Push;

/// <summary>The <c>Push</c> configuration section: push endpoints and Web Push delivery (docs/push.md).</summary>
public sealed class PushOptions
{
    public const string Section = "Push";

    /// <summary>The most push endpoints one user may have under one app; a registration past it is refused.</summary>
    public int MaxEndpointsPerUser { get; set; } = 20;

    /// <summary>
    /// Whether endpoints may name loopback, private or link-local addresses (the webhooks' rules, docs/security.md).
    /// Off outside Development: the service would otherwise send requests wherever a caller says, inside its own network.
    /// </summary>
    public bool? AllowPrivateEndpoints { get; set; }

    /// <summary>Whether endpoints must be https; null means: everywhere but in the Development environment.</summary>
    public bool? RequireHttps { get; set; }

    /// <summary>
    /// The VAPID contact (RFC 8292's <c>sub</c>): a <c>mailto:</c> or <c>https:</c> URL a push service operator can
    /// reach the sender at.
    /// </summary>
    public string VapidSubject { get; set; } = "mailto:push@graphnotifications.invalid";

    /// <summary>A configured VAPID public key (base64url, uncompressed P-256 point); with <see cref="VapidPrivateKey"/>, used instead of the stored pair.</summary>
    public string? VapidPublicKey { get; set; }

    /// <summary>A configured VAPID private key (base64url, 32 bytes); keep it in a secret store, not in a file.</summary>
    public string? VapidPrivateKey { get; set; }

    /// <summary>The longest <c>TTL</c> a push asks for; push services keep a message about four weeks at most.</summary>
    public TimeSpan MaxTimeToLive { get; set; } = TimeSpan.FromDays(28);

    /// <summary>How often each instance looks for changes to turn into pushes, and pushes to send; its own commits wake it at once.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Change-log entries turned into pushes per transaction.</summary>
    public int OutboxBatchSize { get; set; } = 500;

    /// <summary>Pushes one instance claims at once (each to a different endpoint) and sends concurrently.</summary>
    public int SendBatchSize { get; set; } = 32;

    /// <summary>How long a push service has to answer; no answer in time is a failure, retried.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a claim on a push lasts: a killed instance's pushes are sent by another after it. More than <see cref="Timeout"/>.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first retry's delay; each further failure doubles it (with jitter) up to <see cref="RetryCap"/>.</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetryCap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a push is retried before it is dropped (and, for a notification, never past its expiry).</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(4);

    /// <summary>The sweeper of expired endpoints.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    public int SweepBatchSize { get; set; } = 500;

    /// <summary>This instance's name in claims; unique per process unless set.</summary>
    public string InstanceId { get; set; } = $"{Environment.MachineName[..Math.Min(60, Environment.MachineName.Length)]}-{Environment.ProcessId}-{Guid.NewGuid():N}";
}
