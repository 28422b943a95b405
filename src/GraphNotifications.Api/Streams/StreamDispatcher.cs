using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.ChangeLog;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Streams;

/// <summary>
/// Reads the change log once for every stream open on this instance and hands each change to the streams of its feed
/// (<see cref="StreamHub"/>), with the notification as the feed holds it: one query per batch of changes and one per
/// feed with open streams in it, whatever the number of streams. It wakes when this instance commits a change, and
/// reads every <see cref="StreamOptions.PollInterval"/> while streams are open, for the commits of other instances.
/// With no stream open it reads nothing.
/// </summary>
public sealed partial class StreamDispatcher(
    IServiceScopeFactory scopes,
    StreamHub hub,
    IOptions<StreamOptions> options,
    ILogger<StreamDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (hub.TryIdle())
                {
                    await hub.WaitAsync(Timeout.InfiniteTimeSpan, stoppingToken);
                    continue;
                }

                try
                {
                    await DispatchAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The streams keep their position; the next read catches up.
                    LogReadFailed(logger, ex);
                }

                await hub.WaitAsync(settings.PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the streams end with the application (see FeedStream).
        }
    }

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var log = scope.ServiceProvider.GetRequiredService<ChangeLogReader>();
        var store = scope.ServiceProvider.GetRequiredService<NotificationStore>();
        if (hub.Position is not { } position)
        {
            position = await log.HighWaterMarkAsync(cancellationToken);
            hub.Start(position);
        }

        while (true)
        {
            var entries = await log.ChangesAsync(position, BatchSize, cancellationToken);
            if (entries.Count == 0)
            {
                return;
            }

            var feeds = hub.Feeds();
            var current = new Dictionary<(FeedKey, string), Resources.Notification>();
            foreach (var group in entries.Where(e => feeds.Contains(FeedKey.Of(e))).GroupBy(FeedKey.Of))
            {
                var ids = group.Select(e => e.NotificationId).Distinct().ToList();
                var items = await store.Feed(group.Key.App, group.Key.UserId).Where(n => ids.Contains(n.Id)).ToListAsync(cancellationToken);
                foreach (var item in items)
                {
                    current[(group.Key, item.Id)] = item;
                }
            }

            var changes = entries.Select(e => new StreamChange(
                    e,
                    feeds.Contains(FeedKey.Of(e)),
                    current.GetValueOrDefault((FeedKey.Of(e), e.NotificationId))))
                .ToList();
            position = entries[^1].Position;
            hub.Deliver(changes, position);
            if (entries.Count < BatchSize)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the change log for the open streams failed; trying again at the next poll")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
