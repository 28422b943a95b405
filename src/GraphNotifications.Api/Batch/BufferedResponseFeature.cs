using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace GraphNotifications.Api.Batch;

/// <summary>
/// The response of a sub-request, kept in memory until the batch answers. It behaves as a server's response does
/// where the pipeline can tell: the status and headers may change until the first byte is written (or the response
/// is started or completed), at which point the <c>OnStarting</c> callbacks run, which is when the service stamps
/// its request-id and OData-Version headers.
/// </summary>
internal sealed class BufferedResponseFeature : IHttpResponseFeature, IHttpResponseBodyFeature
{
    private readonly MemoryStream _buffer = new();
    private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
    private readonly List<(Func<object, Task> Callback, object State)> _onCompleted = [];
    private PipeWriter? _writer;

    public BufferedResponseFeature() => Stream = new StartingStream(this, _buffer);

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    public bool HasStarted { get; private set; }

    public Stream Stream { get; }

    public PipeWriter Writer => _writer ??= PipeWriter.Create(Stream, new StreamPipeWriterOptions(leaveOpen: true));

    Stream IHttpResponseFeature.Body
    {
        get => Stream;
        set => throw new NotSupportedException("The body of a batch sub-response cannot be replaced.");
    }

    /// <summary>What was written, once the response is complete.</summary>
    public byte[] Body => _buffer.ToArray();

    public void OnStarting(Func<object, Task> callback, object state) => _onStarting.Add((callback, state));

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Add((callback, state));

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (HasStarted)
        {
            return;
        }

        // Last registered runs first, as on Kestrel.
        for (int i = _onStarting.Count - 1; i >= 0; i--)
        {
            await _onStarting[i].Callback(_onStarting[i].State);
        }

        HasStarted = true;
    }

    public async Task CompleteAsync()
    {
        await StartAsync();
        if (_writer is not null)
        {
            await _writer.FlushAsync();
        }
    }

    /// <summary>Runs the <c>OnCompleted</c> callbacks, as a server does after the response has been sent.</summary>
    public async Task RunCompletedCallbacksAsync()
    {
        for (int i = _onCompleted.Count - 1; i >= 0; i--)
        {
            await _onCompleted[i].Callback(_onCompleted[i].State);
        }
    }

    public void DisableBuffering()
    {
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(Stream, path, offset, count, cancellationToken);

    /// <summary>Starts the response at the first write or flush.</summary>
    private sealed class StartingStream(BufferedResponseFeature owner, MemoryStream buffer) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => buffer.Length;

        public override long Position { get => buffer.Position; set => throw new NotSupportedException(); }

        public override void Flush() => owner.StartAsync().GetAwaiter().GetResult();

        public override async Task FlushAsync(CancellationToken cancellationToken) => await owner.StartAsync(cancellationToken);

        public override void Write(byte[] buffer1, int offset, int count)
        {
            owner.StartAsync().GetAwaiter().GetResult();
            buffer.Write(buffer1, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            await owner.StartAsync(cancellationToken);
            await buffer.WriteAsync(source, cancellationToken);
        }

        public override Task WriteAsync(byte[] source, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(source.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer1, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
