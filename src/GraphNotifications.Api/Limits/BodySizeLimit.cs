using GraphNotifications.Api.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Limits;

/// <summary>
/// Holds every request body to <see cref="LimitsOptions.MaxRequestBodyBytes"/>, counted after decompression so a
/// small compressed body cannot inflate past it. A declared length over the limit is refused before reading; an
/// undeclared one is cut off when it passes the limit. Either way: 413. A compressed body that does not decompress
/// (not gzip or deflate at all, cut short, corrupted) is the client's fault too: 400, not the 500 its
/// <see cref="InvalidDataException"/> would be.
/// </summary>
public sealed class BodySizeLimit(RequestDelegate next, IOptions<LimitsOptions> options)
{
    private readonly long _limit = options.Value.MaxRequestBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        long limit = _limit;
        // Routing has run: an action that takes larger bodies says so in its endpoint's metadata.
        if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestBodyLimitMetadata>() is { } larger)
        {
            limit = larger.MaxRequestBodyBytes(context.RequestServices);
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrel)
            {
                kestrel.MaxRequestBodySize = limit;
            }
        }

        bool compressed = request.Headers.ContentEncoding.Count > 0;
        if (!compressed && request.ContentLength > limit)
        {
            return GraphErrorWriter.WriteAsync(context, TooLarge(limit));
        }

        request.Body = new LimitedStream(request.Body, limit);
        return next(context);
    }

    internal GraphError TooLarge() => TooLarge(_limit);

    private static GraphError TooLarge(long limit) => new(
        StatusCodes.Status413PayloadTooLarge,
        GraphErrorCodes.PayloadTooLarge,
        $"The request body is larger than {limit} bytes, this service's limit.");

    /// <summary>A read-only view of the body that fails once more than the limit has been read.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return Count(inner.Read(buffer, offset, count));
            }
            catch (InvalidDataException ex)
            {
                throw Undecodable(ex);
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return Count(await inner.ReadAsync(buffer, cancellationToken));
            }
            catch (InvalidDataException ex)
            {
                throw Undecodable(ex);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private static BadHttpRequestException Undecodable(InvalidDataException ex) =>
            new($"The request body does not decompress as its Content-Encoding says: {ex.Message}", StatusCodes.Status400BadRequest, ex);

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                throw new BadHttpRequestException($"The request body is larger than {limit} bytes, this service's limit.", StatusCodes.Status413PayloadTooLarge);
            }

            return read;
        }
    }
}
