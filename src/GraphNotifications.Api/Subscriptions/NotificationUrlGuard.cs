using System.Net;
using System.Net.Sockets;
using GraphNotifications.Api.Storage.Subscriptions;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Subscriptions;

/// <summary>
/// Decides whether the service may POST to a notification URL: an absolute http(s) URL without credentials, https
/// where required, and a host every one of whose addresses is public unless configuration allows private ones (see
/// docs/security.md, "Webhooks and server-side request forgery"). The same address check runs again when the
/// webhook client connects (<see cref="WebhookClient"/>), so a name that resolves differently later gains nothing.
/// </summary>
public sealed class NotificationUrlGuard(IOptions<SubscriptionOptions> options, IHostEnvironment environment)
{
    public const int MaxLength = 2048;

    public bool RequireHttps => options.Value.RequireHttps ?? environment.IsProduction();

    public bool AllowPrivateAddresses => options.Value.AllowPrivateNotificationUrls;

    /// <summary>Why the URL is refused (a sentence naming <paramref name="property"/>), or null when the service may call it.</summary>
    public Task<string?> WhyRefusedAsync(string property, string url, CancellationToken cancellationToken) =>
        WhyRefusedAsync(property, url, RequireHttps, AllowPrivateAddresses, cancellationToken);

    /// <summary>The rules themselves, for every URL the service calls on a client's word (webhooks, push endpoints).</summary>
    public static async Task<string?> WhyRefusedAsync(string property, string url, bool requireHttps, bool allowPrivateAddresses,
        CancellationToken cancellationToken)
    {
        if (url.Length > MaxLength)
        {
            return $"'{property}' is longer than {MaxLength} characters.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return $"'{property}' must be an absolute https URL.";
        }

        if (requireHttps && uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"'{property}' must use https.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return $"'{property}' must not carry credentials.";
        }

        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return $"'{property}' must not have a fragment.";
        }

        if (allowPrivateAddresses)
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            string host = uri.IdnHost;
            addresses = IPAddress.TryParse(host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException or UriFormatException)
        {
            // ArgumentException: a name DNS cannot carry (longer than 255 characters, say).
            return $"The host of '{property}' does not resolve.";
        }

        if (addresses.Length == 0)
        {
            return $"The host of '{property}' ({uri.Host}) does not resolve.";
        }

        foreach (var address in addresses)
        {
            if (AddressRules.WhyRefused(address) is { } reason)
            {
                return $"The host of '{property}' ({uri.Host}) resolves to {address}, {reason}; the service calls public addresses only.";
            }
        }

        return null;
    }
}
