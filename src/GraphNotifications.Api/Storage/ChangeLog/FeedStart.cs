namespace GraphNotifications.Api.Storage.ChangeLog;

/// <summary>
/// Where a reader of one feed starts (<see cref="ChangeLogReader.FeedStartAsync"/>): a position, and the transactions
/// after it whose entries the reader has no need of because what it reads next shows their changes already.
/// </summary>
public sealed record FeedStart(ChangeLogPosition Position, long[] AlreadyShown);
