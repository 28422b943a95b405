using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace GraphNotifications.Tests.Streams;

/// <summary>
/// What the stream's tests add to a store's factory: a short heartbeat, a small per-stream buffer, and a
/// <see cref="ReaderHold"/> that can stop a stream's client from reading (requests that send <see cref="ReaderHold.Header"/>).
/// </summary>
public static class StreamService
{
    public const int BufferedChanges = 8;

    public static IReadOnlyList<(string Key, string Value)> Settings { get; } =
    [
        ("Streams:HeartbeatInterval", "00:00:00.200"),
        ("Streams:BufferedChanges", BufferedChanges.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Streams:MaxStreamsPerUser", "3"),
    ];

    public static Action<IServiceCollection> Holding(ReaderHold hold) =>
        services => services.AddSingleton<IStartupFilter>(new ReaderHold.Filter(hold));
}

/// <summary>A factory of the stream's service (<see cref="StreamService"/>).</summary>
public interface IStreamService
{
    ReaderHold Hold { get; }
}

/// <summary>The stream's service on a SQLite file.</summary>
public sealed class SqliteStreamFactory : SqliteServiceFactory, IStreamService
{
    public SqliteStreamFactory()
    {
        Settings = StreamService.Settings;
        TestServices = StreamService.Holding(Hold);
    }

    public ReaderHold Hold { get; } = new();
}

/// <summary>The stream's service on a PostgreSQL database of its own.</summary>
public sealed class PostgresStreamFactory : PostgresServiceFactory, IStreamService
{
    public PostgresStreamFactory(IMessageSink diagnostics)
        : base(diagnostics)
    {
        Settings = StreamService.Settings;
        TestServices = StreamService.Holding(Hold);
    }

    public ReaderHold Hold { get; } = new();
}

/// <summary>
/// A client that stops reading, as the server sees it: while held, writes to the responses of requests that carry
/// <see cref="Header"/> wait (as they would on a full socket) until released.
/// </summary>
public sealed class ReaderHold
{
    public const string Header = "X-Test-Held-Reader";

    private TaskCompletionSource _released = Released();

    public void Hold() => Volatile.Write(ref _released, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Release() => Volatile.Read(ref _released).TrySetResult();

    private Task WhenReleased => Volatile.Read(ref _released).Task;

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }

    internal sealed class Filter(ReaderHold hold) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, following) =>
            {
                if (context.Request.Headers.ContainsKey(Header))
                {
                    var inner = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
                    context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(new HeldStream(inner.Stream, hold), inner));
                }

                await following(context);
            });
            next(app);
        };
    }

    private sealed class HeldStream(Stream inner, ReaderHold hold) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            await hold.WhenReleased.WaitAsync(cancellationToken);
            await inner.FlushAsync(cancellationToken);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await hold.WhenReleased.WaitAsync(cancellationToken);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
