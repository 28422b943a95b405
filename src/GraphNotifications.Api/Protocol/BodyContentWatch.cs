namespace GraphNotifications.Api.Protocol;

/// <summary>
/// A request body as it is read, noting whether it held anything but JSON whitespace: a parser's refusal then tells
/// an empty body (which its message describes by its own internals) from a malformed one.
/// </summary>
internal sealed class BodyContentWatch(Stream inner) : Stream
{
    /// <summary>Whether a byte other than JSON's whitespace (space, tab, CR, LF) has been read.</summary>
    public bool HasContent { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Watch(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override int Read(Span<byte> buffer) => Watch(buffer[..inner.Read(buffer)]);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken);
        return Watch(buffer.Span[..read]);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Watch(ReadOnlySpan<byte> read)
    {
        if (!HasContent && read.IndexOfAnyExcept(" \t\r\n"u8) >= 0)
        {
            HasContent = true;
        }

        return read.Length;
    }
}
