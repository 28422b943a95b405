using GraphNotifications.Api.Storage.ChangeLog;
using System.Threading.Channels;

namespace GraphNotifications.Api.Streams;

/// <summary>
/// One open stream as the dispatcher sees it: the feed it follows, where the dispatcher began handing it changes,
/// and a bounded buffer of the changes its client has yet to be sent.
/// </summary>
public sealed class OpenStream
{
    private readonly Channel<StreamChange> _changes;
    private readonly TaskCompletionSource<ChangeLogPosition> _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal OpenStream(FeedKey feed, int capacity)
    {
        Feed = feed;
        // The dispatcher never waits on a stream: a full buffer drops the stream instead (see FellBehind).
        _changes = Channel.CreateBounded<StreamChange>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public FeedKey Feed { get; }

    /// <summary>The changes handed to this stream, in sequence order; completed when it fell behind.</summary>
    public ChannelReader<StreamChange> Changes => _changes.Reader;

    /// <summary>
    /// The change-log position after which the dispatcher hands this stream every change of its feed. Everything up
    /// to it had committed when it was set, so the stream reads that part from the log itself.
    /// </summary>
    public Task<ChangeLogPosition> Attached => _attached.Task;

    /// <summary>Whether its buffer overflowed: the stream ends, and its client resumes from the last event it got.</summary>
    public bool FellBehind { get; private set; }

    internal void Attach(ChangeLogPosition position) => _attached.TrySetResult(position);

    /// <summary>Hands over a change; when the buffer is full, the stream is marked as fallen behind and takes no more.</summary>
    /// <returns>Whether this change made it fall behind.</returns>
    internal bool Offer(StreamChange change)
    {
        if (FellBehind || _changes.Writer.TryWrite(change))
        {
            return false;
        }

        FellBehind = true;
        _changes.Writer.TryComplete();
        return true;
    }
}
