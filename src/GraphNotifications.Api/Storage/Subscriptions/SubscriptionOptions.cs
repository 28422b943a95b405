namespace GraphNotifications.Api.Storage.Subscriptions;

/// <summary>The <c>Subscriptions</c> configuration section.</summary>
public sealed class SubscriptionOptions
{
    public const string Section = "Subscriptions";

    public static readonly TimeSpan MinimumSweepInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaximumSweepInterval = TimeSpan.FromDays(1);
    public const int MaximumSweepBatchSize = 10_000;

    /// <summary>The longest MaxLifetime accepted: Graph's longest for any resource is under 30 days.</summary>
    public static readonly TimeSpan LongestMaxLifetime = TimeSpan.FromDays(30);

    /// <summary>How far ahead a subscription may expire: 4230 minutes by default, Graph's limit for most resources.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromMinutes(4230);

    /// <summary>How long the validation handshake waits for the notification endpoint's answer (Graph: 10 seconds).</summary>
    public TimeSpan ValidationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether notification URLs may name loopback, private or link-local addresses. Off in production: the service
    /// would otherwise POST wherever a caller says, inside its own network (server-side request forgery).
    /// </summary>
    public bool AllowPrivateNotificationUrls { get; set; }

    /// <summary>Whether notification URLs must be https; null means: in the Production environment.</summary>
    public bool? RequireHttps { get; set; }

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    public int SweepBatchSize { get; set; } = 500;
}
