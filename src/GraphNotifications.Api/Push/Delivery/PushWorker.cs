using System.Collections.Concurrent;
using GraphNotifications.Api.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Push.Delivery;

/// <summary>
/// Web Push delivery in the background, in every instance: turns new change-log entries into pending pushes
/// (<see cref="PushOutboxFill"/>), then claims due pushes in batches (<see cref="PushClaims"/>) and sends each
/// (<see cref="PushSender"/>), up to <see cref="PushOptions.SendBatchSize"/> at a time. It looks every
/// <see cref="PushOptions.PollInterval"/>, and at once when this instance commits a change or a send ends.
/// </summary>
public sealed partial class PushWorker(
    IServiceScopeFactory scopes,
    PushWake wake,
    IOptions<PushOptions> options,
    TimeProvider clock,
    ILogger<PushWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await FillAsync(stoppingToken);
                int free = settings.SendBatchSize - _inFlight.Count;
                if (free > 0)
                {
                    try
                    {
                        foreach (long sequence in await ClaimAsync(free, stoppingToken))
                        {
                            _inFlight[sequence] = SendAsync(sequence, stoppingToken);
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogClaimFailed(logger, ex);
                    }
                }

                await wake.WaitAsync(settings.PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: claims in flight are given back (SendAsync), or lapse with their lease.
        }

        await Task.WhenAll(_inFlight.Values);
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            int batch = options.Value.OutboxBatchSize;
            while (await PushOutboxFill.FillOnceAsync(db, batch, clock.GetUtcNow(), cancellationToken) == batch)
            {
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFillFailed(logger, ex);
        }
    }

    private async Task<List<long>> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var settings = options.Value;
        return await PushClaims.ClaimAsync(db, settings.InstanceId, clock.GetUtcNow(), settings.ClaimLease, max, cancellationToken);
    }

    private async Task SendAsync(long sequence, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PushSender>().SendAsync(sequence, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await ReleaseAsync(sequence);
        }
        catch (Exception ex)
        {
            // The claim lapses with its lease and the push is tried again.
            LogSendFailed(logger, sequence, ex);
        }
        finally
        {
            _inFlight.TryRemove(sequence, out _);
            // A slot is free, and the endpoint's next push may now be due.
            wake.Pulse();
        }
    }

    private async Task ReleaseAsync(long sequence)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            string instance = options.Value.InstanceId;
            await db.PendingPushes.Where(p => p.Sequence == sequence && p.ClaimedBy == instance)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.ClaimedBy, (string?)null).SetProperty(p => p.ClaimExpiresAt, 0L), bounded.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogReleaseFailed(logger, sequence, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Turning the change log into pushes failed; trying again at the next poll")]
    private static partial void LogFillFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Claiming pushes failed; trying again at the next poll")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending push {Sequence} failed")]
    private static partial void LogSendFailed(ILogger logger, long sequence, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not give back the claim on push {Sequence} at shutdown; it lapses with its lease")]
    private static partial void LogReleaseFailed(ILogger logger, long sequence, Exception exception);
}
