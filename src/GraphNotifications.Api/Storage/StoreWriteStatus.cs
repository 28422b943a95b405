namespace GraphNotifications.Api.Storage;

/// <summary>
/// Whether the store took the service's last write: a write refused because the store is full, read-only or
/// unreachable marks it failing until a write succeeds again. The readiness probe reads it, at no cost to the store.
/// </summary>
public sealed class StoreWriteStatus(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastFailure;

    /// <summary>When the last refused write was, if none has succeeded since.</summary>
    public DateTimeOffset? FailingSince
    {
        get
        {
            lock (_gate)
            {
                return _lastFailure;
            }
        }
    }

    /// <summary>Marks the store failing since now; <paramref name="refusal"/> is what the store answered.</summary>
    public void RecordFailure(Exception refusal)
    {
        SqliteReadOnlyConnections.ForgetAfter(refusal);
        lock (_gate)
        {
            _lastFailure = clock.GetUtcNow();
        }
    }

    public void RecordSuccess()
    {
        lock (_gate)
        {
            _lastFailure = null;
        }
    }
}
