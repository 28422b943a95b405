namespace GraphNotifications.Api.Batch;

/// <summary>
/// What runs as one step of a batch: a single request, or every request of one atomicity group (all or nothing,
/// in one transaction), in an order that honors their dependencies.
/// </summary>
/// <param name="AtomicityGroup">The group's name, or null for a single request.</param>
/// <param name="Prerequisites">Ids of requests outside the unit that must succeed (2xx) for it to run.</param>
public sealed record BatchUnit(string? AtomicityGroup, IReadOnlyList<BatchRequestItem> Requests, IReadOnlySet<string> Prerequisites);
