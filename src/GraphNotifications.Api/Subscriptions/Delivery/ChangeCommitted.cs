namespace GraphNotifications.Api.Subscriptions.Delivery;

/// <summary>
/// Wakes the delivery worker when this instance commits a change, so a change reaches its webhook without waiting
/// for the next poll. A pulse with nobody waiting is kept (one, not a count): the worker's next wait returns at once.
/// </summary>
public sealed class ChangeCommitted
{
    private readonly SemaphoreSlim _pulse = new(0, 1);

    public void Pulse()
    {
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
