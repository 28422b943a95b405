using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Infrastructure;

/// <summary>
/// The service on a real Kestrel listener on a loopback port, on a fresh in-memory store: for clients that speak HTTP
/// themselves (a generated client with its own handler pipeline) rather than through the test server's handler.
/// </summary>
public sealed class KestrelServiceFactory : ServiceFactoryBase
{
    private readonly string _database = "tests-kestrel-" + Guid.NewGuid().ToString("N");
    private readonly Lazy<Uri> _serviceRoot;

    public KestrelServiceFactory()
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _serviceRoot = new Lazy<Uri>(Listen);
    }

    /// <summary>The service root, <c>http://127.0.0.1:{port}/v1.0/</c>; the server starts on first use.</summary>
    public Uri ServiceRoot => _serviceRoot.Value;

    protected override void ConfigureStore(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Provider", "InMemory");
        builder.UseSetting("ConnectionStrings:Notifications", _database);
    }

    private Uri Listen()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new Uri(addresses.Single().TrimEnd('/') + "/v1.0/");
    }
}
