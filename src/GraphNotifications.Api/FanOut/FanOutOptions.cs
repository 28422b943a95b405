using System.ComponentModel.DataAnnotations;

namespace GraphNotifications.Api.FanOut;

/// <summary>The <c>FanOut</c> configuration section: how many feeds one <c>addRecipients</c> or <c>removeRecipients</c> call may reach.</summary>
public sealed class FanOutOptions
{
    public const string Section = "FanOut";

    /// <summary>
    /// User ids one call may name at most (400 beyond). On SQLite it also bounds how long one call holds the store's
    /// one writer, and so what it adds to other writers' latency.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxRecipientsPerCall { get; set; } = 10_000;

    /// <summary>
    /// Largest body of those two actions, after decompression (413 beyond), in place of
    /// <c>Limits:MaxRequestBodyBytes</c>: 10,000 ids of 128 characters, even characters of three UTF-8 bytes, fit in 4 MiB.
    /// </summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;
}
