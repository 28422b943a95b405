using System.ComponentModel.DataAnnotations;

namespace GraphNotifications.Api.Limits;

/// <summary>The <c>Limits</c> configuration section: what one client may ask of the service. Defaults suit one small server.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Largest request body, after decompression (413 beyond).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Requests one app of one tenant may make per window, across all its users.</summary>
    [Range(1, int.MaxValue)]
    public int PermitsPerApp { get; set; } = 60_000;

    /// <summary>Requests one user (of one app) may make per window.</summary>
    [Range(1, int.MaxValue)]
    public int PermitsPerUser { get; set; } = 3_000;

    /// <summary>The rate limits' window (a zero or negative one would fail every request instead of the start).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
