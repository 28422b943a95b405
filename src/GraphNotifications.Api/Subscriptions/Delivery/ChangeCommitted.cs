namespace GraphNotifications.Api.Subscriptions.Delivery;

/// <summary>
/// Wakes the delivery worker when this instance commits a change, so a change reaches its webhook without waiting
/// for the next poll. A pulse with nobody waiting is kept (one, not a count): the worker's next wait returns at once.
/// </summary>
public sealed class ChangeCommitted
{
    private readonly SemaphoreSlim _pulse = new(0, 1);
    private Action[] _listeners = [];

    /// <summary>Calls <paramref name="listener"/> on every pulse too: others that read the change log wake on commits as well.</summary>
    public void Subscribe(Action listener)
    {
        lock (_pulse)
        {
            _listeners = [.. _listeners, listener];
        }
    }

    public void Pulse()
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            listener();
        }

        try
        {
            if (_pulse.CurrentCount == 0)
            {
                _pulse.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another pulse got there first: one is all the worker needs.
        }
    }

    /// <summary>Waits for a pulse, or <paramref name="timeout"/> (the poll interval); true when pulsed.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pulse.WaitAsync(timeout, cancellationToken);
}
