using System.Net;
using System.Net.Sockets;
using GraphNotifications.Api.Storage.Subscriptions;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Subscriptions;

/// <summary>
/// The named <see cref="HttpClient"/> every call to a webhook uses (the validation handshake, and delivery): it
/// follows no redirect (a public URL could otherwise send the service on to an internal one), sends no cookies, and
/// unless private addresses are allowed it connects only to an address it has itself checked: the name is resolved
/// once, at connect time, and the checked address is the one connected to (no second lookup to rebind).
/// </summary>
public static class WebhookClient
{
    public const string Name = "webhooks";

    public static IServiceCollection AddWebhookClient(this IServiceCollection services)
    {
        services.AddHttpClient(Name)
            .ConfigurePrimaryHttpMessageHandler(sp => CreateHandler(sp.GetRequiredService<IOptions<SubscriptionOptions>>().Value.AllowPrivateNotificationUrls))
            .ConfigureHttpClient(client => client.DefaultRequestHeaders.UserAgent.ParseAdd("GraphNotifications-Webhooks/1.0"));
        return services;
    }

    /// <summary>The handler of every client that calls a URL a caller gave (webhooks, push services): no redirects, no cookies, public addresses only unless allowed.</summary>
    internal static SocketsHttpHandler CreateHandler(bool allowPrivateAddresses)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (!allowPrivateAddresses)
        {
            handler.ConnectCallback = ConnectToPublicAddressAsync;
        }

        return handler;
    }

    private static async ValueTask<Stream> ConnectToPublicAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        string host = context.DnsEndPoint.Host;
        IPAddress[] addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0 || addresses.Any(a => AddressRules.WhyRefused(a) is not null))
        {
            throw new HttpRequestException($"The webhook host {host} resolves to an address the service does not call.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
