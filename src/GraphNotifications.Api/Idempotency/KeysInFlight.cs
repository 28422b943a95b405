using System.Collections.Concurrent;
using GraphNotifications.Api.Storage.Idempotency;

namespace GraphNotifications.Api.Idempotency;

/// <summary>
/// The keys whose first request this instance is still running. A second request with such a key is told to wait
/// (409) rather than queued behind the first. Across instances, the record's primary key settles the race.
/// </summary>
public sealed class KeysInFlight
{
    private readonly ConcurrentDictionary<IdempotencyScope, byte> _running = new();

    public bool TryEnter(IdempotencyScope scope) => _running.TryAdd(scope, 0);

    public void Leave(IdempotencyScope scope) => _running.TryRemove(scope, out _);
}
