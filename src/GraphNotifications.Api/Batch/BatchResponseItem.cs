namespace GraphNotifications.Api.Batch;

/// <summary>The answer to one request of a batch, buffered until the whole batch has run.</summary>
public sealed record BatchResponseItem(string Id, int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string? ContentType, byte[] Body);
