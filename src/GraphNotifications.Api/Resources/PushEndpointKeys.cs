namespace GraphNotifications.Api.Resources;

/// <summary>
/// <c>microsoft.graph.pushEndpointKeys</c>, this service's own: the browser's keys for encrypting pushes (RFC 8291),
/// base64url as <c>PushSubscription.toJSON()</c> gives them.
/// </summary>
public sealed class PushEndpointKeys
{
    /// <summary>The user agent's P-256 ECDH public key, an uncompressed point (65 bytes).</summary>
    public string P256dh { get; set; } = string.Empty;

    /// <summary>The authentication secret (16 bytes).</summary>
    public string Auth { get; set; } = string.Empty;
}
