using GraphNotifications.Api.Subscriptions.Delivery;

namespace GraphNotifications.Api.Push.Delivery;

/// <summary>
/// Wakes the push worker when this instance commits a change (<see cref="ChangeCommitted"/>'s listeners) or a push
/// slot frees up; a wake with nobody waiting is kept (one), so the next wait returns at once.
/// </summary>
public sealed class PushWake
{
    private readonly SemaphoreSlim _pulse = new(0, 1);

    public PushWake(ChangeCommitted changes) => changes.Subscribe(Pulse);

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
            // Another wake got there first.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pulse.WaitAsync(timeout, cancellationToken);
}
