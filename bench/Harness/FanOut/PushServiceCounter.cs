using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GraphNotifications.Bench.Harness.FanOut;

/// <summary>
/// A push service (RFC 8030) on a loopback port for the fan-out bench: each subscription is a path
/// <c>/push/{n}</c>, n from 0 to <see cref="Endpoints"/> - 1. Kestrel reads every body, chunked or not, and the answer
/// is 201 with a message's Location, as a push service gives. It does not decrypt (the tests do, with an independent
/// implementation); it counts per endpoint, so that the bench knows when every endpoint has had its push and how many
/// came twice, and it checks what is cheap to check: the VAPID scheme, <c>aes128gcm</c>, a body within 4,096 bytes.
/// </summary>
internal sealed class PushServiceCounter : IAsyncDisposable
{
    private readonly int[] _counts;
    private readonly WebApplication _app;
    private int _reached;
    private int _duplicates;
    private int _malformed;
    private int _chunked;
    private int _unknown;
    private long _firstAt;
    private long _lastFirstAt;

    private PushServiceCounter(int endpoints, WebApplication app)
    {
        _counts = new int[endpoints];
        _app = app;
    }

    public int Endpoints => _counts.Length;

    public Uri Address { get; private set; } = null!;

    /// <summary>Endpoints that had at least one push.</summary>
    public int Reached => Volatile.Read(ref _reached);

    /// <summary>Pushes beyond the first to an endpoint.</summary>
    public int Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>Requests without a VAPID authorization, not <c>aes128gcm</c>, empty or over 4,096 bytes.</summary>
    public int Malformed => Volatile.Read(ref _malformed);

    /// <summary>Requests whose body came chunked.</summary>
    public int Chunked => Volatile.Read(ref _chunked);

    /// <summary>Requests to a path that is no endpoint of this run.</summary>
    public int Unknown => Volatile.Read(ref _unknown);

    /// <summary>When the first push arrived (a <see cref="Stopwatch"/> timestamp; 0 before).</summary>
    public long FirstAt => Interlocked.Read(ref _firstAt);

    /// <summary>When the last endpoint had its first push (a <see cref="Stopwatch"/> timestamp; 0 before).</summary>
    public long LastFirstAt => Interlocked.Read(ref _lastFirstAt);

    public string EndpointUrl(int n) => new Uri(Address, $"push/{n}").ToString();

    public static async Task<PushServiceCounter> StartAsync(int endpoints)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var counter = new PushServiceCounter(endpoints, app);
        app.Run(counter.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        counter.Address = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return counter;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        long bytes = 0;
        byte[] buffer = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
        }

        long now = Stopwatch.GetTimestamp();
        Interlocked.CompareExchange(ref _firstAt, now, 0);
        if (request.Headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _chunked);
        }

        if (!request.Headers.Authorization.ToString().StartsWith("vapid t=", StringComparison.Ordinal)
            || request.Headers.ContentEncoding.ToString() != "aes128gcm" || bytes is 0 or > 4096)
        {
            Interlocked.Increment(ref _malformed);
        }

        string[] path = request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (path is ["push", var n] && int.TryParse(n, out int index) && index >= 0 && index < _counts.Length)
        {
            if (Interlocked.Increment(ref _counts[index]) == 1)
            {
                RaiseTo(ref _lastFirstAt, now);
                Interlocked.Increment(ref _reached);
            }
            else
            {
                Interlocked.Increment(ref _duplicates);
            }
        }
        else
        {
            Interlocked.Increment(ref _unknown);
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"/message/{Guid.NewGuid():N}";
    }

    private static void RaiseTo(ref long field, long value)
    {
        long seen;
        while ((seen = Interlocked.Read(ref field)) < value && Interlocked.CompareExchange(ref field, value, seen) != seen)
        {
        }
    }
}
