using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Streams;

/// <summary>
/// The heartbeat of every stream open on this instance: one timer, every <see cref="StreamOptions.HeartbeatInterval"/>,
/// gives each stream a beat to write as a comment line (<see cref="StreamHub.Beat"/>), so that proxies do not close an
/// idle stream. One timer for all of them, not one per stream: thousands of open streams cost no timers.
/// </summary>
public sealed class StreamHeartbeat(StreamHub hub, IOptions<StreamOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The wall clock, not the service's TimeProvider: proxies close idle connections by real time.
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                hub.Beat();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the streams end with the application (see FeedStream).
        }
    }
}
