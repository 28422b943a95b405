using System.Collections.Concurrent;
using GraphNotifications.Api.Storage;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Subscriptions.Delivery;

/// <summary>
/// Delivers change notifications in the background: claims due subscriptions (<see cref="DeliveryClaims"/>) up to
/// <see cref="DeliveryOptions.MaxConcurrentSubscriptions"/> at a time and delivers each (<see cref="SubscriptionDeliverer"/>).
/// It looks every <see cref="DeliveryOptions.PollInterval"/>, for changes other instances commit, and at once when
/// this instance commits one (<see cref="ChangeCommitted"/>).
/// </summary>
public sealed partial class DeliveryWorker(
    IServiceScopeFactory scopes,
    ChangeCommitted changes,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Task> _inFlight = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                int free = settings.MaxConcurrentSubscriptions - _inFlight.Count;
                if (free > 0)
                {
                    try
                    {
                        foreach (string id in await ClaimAsync(free, stoppingToken))
                        {
                            _inFlight[id] = DeliverAsync(id, stoppingToken);
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogClaimFailed(logger, ex);
                    }
                }

                await changes.WaitAsync(settings.PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: claims in flight lapse with their lease, and whoever claims next delivers from the stored position.
        }

        await Task.WhenAll(_inFlight.Values);
    }

    private async Task<List<string>> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var settings = options.Value;
        return await DeliveryClaims.ClaimAsync(db, settings.InstanceId, clock.GetUtcNow(), settings.ClaimLease, max, cancellationToken);
    }

    private async Task DeliverAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SubscriptionDeliverer>().DeliverAsync(subscriptionId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: give the claim back, so the next instance (or this one restarted) need not wait out the lease.
            await ReleaseAsync(subscriptionId);
        }
        catch (Exception ex)
        {
            // The claim lapses with its lease and the subscription is tried again.
            LogDeliveryFailed(logger, subscriptionId, ex);
        }
        finally
        {
            _inFlight.TryRemove(subscriptionId, out _);
            // A slot is free: look again without waiting for the poll.
            changes.Pulse();
        }
    }

    private async Task ReleaseAsync(string subscriptionId)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await new DeliveryLedger(db, options.Value.InstanceId).ReleaseAsync(subscriptionId, bounded.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The lease lapses by itself.
            LogReleaseFailed(logger, subscriptionId, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not give back the claim on subscription {SubscriptionId} at shutdown; it lapses with its lease")]
    private static partial void LogReleaseFailed(ILogger logger, string subscriptionId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Claiming subscriptions for delivery failed; trying again at the next poll")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering subscription {SubscriptionId} failed")]
    private static partial void LogDeliveryFailed(ILogger logger, string subscriptionId, Exception exception);
}
