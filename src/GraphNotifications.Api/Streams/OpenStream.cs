using GraphNotifications.Api.Storage.ChangeLog;
using System.Threading.Channels;

namespace GraphNotifications.Api.Streams;

/// <summary>
/// One open stream as the dispatcher sees it: the feed it follows, where the dispatcher began handing it changes,
/// and a bounded buffer of the changes its client has yet to be sent. Nothing else is kept per stream: no timer
/// (the instance's one heartbeat puts a beat in the buffer) and no store context (the stream borrows one per read).
/// </summary>
public sealed class OpenStream
{
    private readonly Channel<StreamChange?> _changes;
    private readonly TaskCompletionSource<ChangeLogPosition> _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _beatWaiting;

    internal OpenStream(FeedKey feed, int capacity)
    {
        Feed = feed;
        // The dispatcher never waits on a stream: a full buffer drops the stream instead (see FellBehind). One slot
        // more than the changes it may hold, for the one heartbeat that may be waiting.
        _changes = Channel.CreateBounded<StreamChange?>(new BoundedChannelOptions(capacity + 1)
        {
            SingleReader = true,
            // Changes and beats are written under the hub's lock, one writer at a time.
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public FeedKey Feed { get; }

    /// <summary>
    /// The changes handed to this stream, in sequence order, and null where a heartbeat fell due (see
    /// <see cref="TryRead"/>); completed when it fell behind.
    /// </summary>
    public ChannelReader<StreamChange?> Changes => _changes.Reader;

    /// <summary>
    /// The change-log position after which the dispatcher hands this stream every change of its feed. Everything up
    /// to it had committed when it was set, so the stream reads that part from the log itself.
    /// </summary>
    public Task<ChangeLogPosition> Attached => _attached.Task;

    /// <summary>Whether its buffer overflowed: the stream ends, and its client resumes from the last event it got.</summary>
    public bool FellBehind { get; private set; }

    internal void Attach(ChangeLogPosition position) => _attached.TrySetResult(position);

    /// <summary>
    /// Takes what is waiting: a change, or a heartbeat that fell due (<paramref name="beat"/>). False when nothing is.
    /// </summary>
    public bool TryRead(out StreamChange? change, out bool beat)
    {
        if (!_changes.Reader.TryRead(out change))
        {
            beat = false;
            return false;
        }

        beat = change is null;
        if (beat)
        {
            Volatile.Write(ref _beatWaiting, 0);
        }

        return true;
    }

    /// <summary>Hands over a change (under the hub's lock); when the buffer is full, the stream is marked as fallen behind and takes no more.</summary>
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

    /// <summary>
    /// A heartbeat fell due (called under the hub's lock): one beat waits in the buffer until the stream writes it. A stream with a beat already
    /// waiting, or a full buffer (its client has changes to be sent), takes none.
    /// </summary>
    internal void Beat()
    {
        if (Interlocked.Exchange(ref _beatWaiting, 1) == 0 && (FellBehind || !_changes.Writer.TryWrite(null)))
        {
            Volatile.Write(ref _beatWaiting, 0);
        }
    }
}
