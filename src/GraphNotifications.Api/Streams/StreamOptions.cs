using System.ComponentModel.DataAnnotations;

namespace GraphNotifications.Api.Streams;

/// <summary>The <c>Streams</c> configuration section: the live stream of a feed (Server-Sent Events) on one instance.</summary>
public sealed class StreamOptions
{
    public const string Section = "Streams";

    /// <summary>How often an idle stream gets a comment line, so that proxies do not close it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Streams one feed (a user of an app) may hold open on one instance; 429 beyond.</summary>
    [Range(1, 1000)]
    public int MaxStreamsPerUser { get; set; } = 5;

    /// <summary>Streams one instance holds open at most; 503 beyond.</summary>
    [Range(1, 1_000_000)]
    public int MaxStreamsPerInstance { get; set; } = 10_000;

    /// <summary>
    /// Changes a stream may have waiting for its client. A client that falls further behind is told to reconnect
    /// (and resumes from its last event), so a slow reader never grows the server's memory.
    /// </summary>
    [Range(1, 100_000)]
    public int BufferedChanges { get; set; } = 256;

    /// <summary>
    /// How often the dispatcher reads the change log while streams are open, for changes other instances commit
    /// (this instance's own commits wake it at once).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The <c>Retry-After</c> of a stream refused by a limit.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(10);
}
