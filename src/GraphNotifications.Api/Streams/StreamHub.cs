using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Storage.ChangeLog;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Streams;

/// <summary>
/// The open streams of this instance, by feed, with their limits; the dispatcher hands changes to them through here.
/// Its lock makes attaching a stream and handing out a batch of changes one after the other: a stream attached at a
/// position gets every change after it, and none before.
/// </summary>
public sealed class StreamHub(IOptions<StreamOptions> options)
{
    private readonly object _lock = new();
    private readonly Dictionary<FeedKey, List<OpenStream>> _byFeed = [];
    private readonly List<OpenStream> _unattached = [];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private int _count;
    private ChangeLogPosition? _position;
    private long _fellBehind;

    /// <summary>Streams open on this instance.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Streams this instance has dropped because their client fell behind, since it started.</summary>
    public long FellBehind => Interlocked.Read(ref _fellBehind);

    /// <summary>Opens a stream on <paramref name="feed"/>, or the refusal of a limit (429 per user, 503 per instance).</summary>
    public (OpenStream? Stream, GraphError? Refused) TryOpen(FeedKey feed)
    {
        var settings = options.Value;
        OpenStream stream;
        lock (_lock)
        {
            if (_count >= settings.MaxStreamsPerInstance)
            {
                return (null, new GraphError(StatusCodes.Status503ServiceUnavailable, GraphErrorCodes.ServiceUnavailable,
                    $"This instance holds as many open streams as it may ({settings.MaxStreamsPerInstance}); retry after the time Retry-After gives."));
            }

            if (!_byFeed.TryGetValue(feed, out var streams))
            {
                streams = _byFeed[feed] = [];
            }

            if (streams.Count >= settings.MaxStreamsPerUser)
            {
                return (null, new GraphError(StatusCodes.Status429TooManyRequests, GraphErrorCodes.TooManyRequests,
                    $"This feed has {settings.MaxStreamsPerUser} streams open on this instance, the most it may; close one, or retry after the time Retry-After gives."));
            }

            stream = new OpenStream(feed, settings.BufferedChanges);
            streams.Add(stream);
            _count++;
            if (_position is { } position)
            {
                stream.Attach(position);
            }
            else
            {
                _unattached.Add(stream);
            }
        }

        Wake();
        return (stream, null);
    }

    public void Close(OpenStream stream)
    {
        lock (_lock)
        {
            if (_byFeed.TryGetValue(stream.Feed, out var streams) && streams.Remove(stream))
            {
                _count--;
                if (streams.Count == 0)
                {
                    _byFeed.Remove(stream.Feed);
                }
            }

            _unattached.Remove(stream);
        }
    }

    /// <summary>Wakes the dispatcher: a stream opened, or this instance committed a change.</summary>
    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another wake got there first: one is enough.
        }
    }

    internal Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    /// <summary>The dispatcher's position: the last change handed out; null while no stream is open.</summary>
    internal ChangeLogPosition? Position
    {
        get
        {
            lock (_lock)
            {
                return _position;
            }
        }
    }

    /// <summary>The feeds that have streams, to read the changed notifications of those feeds only.</summary>
    internal HashSet<FeedKey> Feeds()
    {
        lock (_lock)
        {
            return [.. _byFeed.Keys];
        }
    }

    /// <summary>The dispatcher starts at <paramref name="position"/> (the log's high-water mark): the waiting streams attach there.</summary>
    internal void Start(ChangeLogPosition position)
    {
        lock (_lock)
        {
            _position = position;
            AttachWaiting(position);
        }
    }

    /// <summary>Hands a batch of changes, read after the position, to the streams of their feeds; the position moves past them.</summary>
    internal void Deliver(IReadOnlyList<StreamChange> changes, ChangeLogPosition position)
    {
        lock (_lock)
        {
            foreach (var change in changes)
            {
                if (_byFeed.TryGetValue(FeedKey.Of(change.Entry), out var streams))
                {
                    foreach (var stream in streams)
                    {
                        if (stream.Offer(change))
                        {
                            Interlocked.Increment(ref _fellBehind);
                        }
                    }
                }
            }

            _position = position;
            AttachWaiting(position);
        }
    }

    /// <summary>A heartbeat fell due: every open stream gets a beat to write (see <see cref="OpenStream.Beat"/>).</summary>
    internal void Beat()
    {
        lock (_lock)
        {
            foreach (var streams in _byFeed.Values)
            {
                foreach (var stream in streams)
                {
                    stream.Beat();
                }
            }
        }
    }

    /// <summary>With no stream open, the dispatcher stops reading; the next stream to open starts it again.</summary>
    internal bool TryIdle()
    {
        lock (_lock)
        {
            if (_count > 0)
            {
                return false;
            }

            _position = null;
            return true;
        }
    }

    private void AttachWaiting(ChangeLogPosition position)
    {
        foreach (var stream in _unattached)
        {
            stream.Attach(position);
        }

        _unattached.Clear();
    }
}
