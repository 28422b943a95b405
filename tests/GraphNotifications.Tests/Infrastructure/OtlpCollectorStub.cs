using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace GraphNotifications.Tests.Infrastructure;

/// <summary>
/// Stands in for an OpenTelemetry collector's OTLP/HTTP receiver on a loopback port: records each export (the signal
/// path, <c>/v1/traces</c>, <c>/v1/metrics</c> or <c>/v1/logs</c>, and its protobuf body) and accepts it with an
/// empty export response, so a test sees what the service sends when configured for OTLP.
/// </summary>
public sealed class OtlpCollectorStub : IAsyncDisposable
{
    private LoopbackApp _app = null!;

    private OtlpCollectorStub()
    {
    }

    /// <summary>The endpoint to configure as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> Exports { get; } = new();

    public static async Task<OtlpCollectorStub> StartAsync()
    {
        var collector = new OtlpCollectorStub();
        collector._app = await LoopbackApp.StartAsync(collector.AcceptAsync);
        collector.Endpoint = collector._app.Address;
        return collector;
    }

    /// <summary>Whether an export to <paramref name="path"/> has arrived whose body holds <paramref name="text"/> (protobuf keeps strings as UTF-8).</summary>
    public bool Received(string path, string text) =>
        Exports.Any(e => e.Path == path && e.Body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0);

    private async Task AcceptAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        Exports.Enqueue((context.Request.Path.Value ?? "", context.Request.ContentType, body.ToArray()));
        // An empty Export*ServiceResponse: everything accepted.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
