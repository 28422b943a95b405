using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage.ChangeLog;

namespace GraphNotifications.Api.Streams;

/// <summary>
/// One committed change handed to the streams of its feed, with the notification as the feed holds it when the
/// dispatcher read it (null when it is no longer there). <see cref="Loaded"/> is false when the dispatcher did not
/// read it (no stream followed the feed when it looked): the stream reads it itself.
/// </summary>
public sealed record StreamChange(ChangeLogEntry Entry, bool Loaded, Notification? Current);
