using System.Diagnostics;
using System.Threading.Channels;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage.ChangeLog;
using GraphNotifications.Api.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace GraphNotifications.Api.Storage.GroupCommit;

/// <summary>
/// Creates on PostgreSQL, committed in groups: the creates waiting at the same moment share one transaction, one
/// round trip (a batch of their inserts) and one commit, each request answered only after that commit. PostgreSQL
/// already merges the WAL flushes of concurrent commits; what a group saves is the service's own work per create
/// (EF Core's change tracking and command building, a round trip per statement and one for the commit). Several
/// writers run at once, since PostgreSQL takes concurrent transactions, and a create takes no lock (nobody can change
/// a notification before it exists). A group the database refuses for something one create holds is committed again
/// one create at a time, so a refused create fails alone. Writes inside a caller's own transaction (an idempotent
/// create, a $batch atomicity group) do not come here.
/// </summary>
public sealed class PostgresCreateGroups : IAsyncDisposable
{
    /// <summary>Creates per transaction at most.</summary>
    public const int MaxGroup = 64;

    private readonly Channel<Pending> _creates = Channel.CreateUnbounded<Pending>();
    private readonly ILogger<PostgresCreateGroups> _logger;
    private readonly StoreWriteStatus _status;
    private readonly GraphMetrics? _metrics;
    private readonly AsyncServiceScope[] _scopes;
    private readonly Inserts _inserts;
    private readonly Task[] _writers;

    public PostgresCreateGroups(IServiceScopeFactory scopes, ILogger<PostgresCreateGroups> logger, StoreWriteStatus status)
    {
        (_logger, _status) = (logger, status);
        // A writer waits on the database for most of a group's life; two per core keep the next groups forming meanwhile.
        // Each writes through a context of its own (taken here, while the container is surely alive), so that its
        // transactions are EF Core's and their commits reach the interceptors that wake the change log's readers.
        _scopes = [.. Enumerable.Range(0, Math.Max(2, 2 * Environment.ProcessorCount)).Select(_ => scopes.CreateAsyncScope())];
        var contexts = _scopes.Select(s => s.ServiceProvider.GetRequiredService<NotificationsDbContext>()).ToList();
        _inserts = new Inserts(contexts[0].Model);
        _metrics = _scopes[0].ServiceProvider.GetService<GraphMetrics>();
        _writers = [.. contexts.Select(db => Task.Run(() => WriteAsync(db)))];
    }

    /// <summary>Inserts a create's rows in the next group and completes once that group is committed.</summary>
    internal Task WriteCreateAsync(StagedCreate create)
    {
        var pending = new Pending(create);
        return _creates.Writer.TryWrite(pending) ? pending.Done.Task : Task.FromException(new ObjectDisposedException(nameof(PostgresCreateGroups)));
    }

    public async ValueTask DisposeAsync()
    {
        // The server has drained its requests by now: finish what was handed over, then stop.
        _creates.Writer.TryComplete();
        await Task.WhenAll(_writers);
        foreach (var scope in _scopes)
        {
            await scope.DisposeAsync();
        }
    }

    private async Task WriteAsync(NotificationsDbContext db)
    {
        var group = new List<Pending>(MaxGroup);
        var reader = _creates.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && reader.TryRead(out var next))
            {
                group.Add(next);
            }

            if (group.Count == 0)
            {
                continue;
            }

            try
            {
                await CommitAsync(db, group);
            }
            catch (Exception ex)
            {
                // Never leave a request waiting.
                _logger.LogError(ex, "The PostgreSQL create writer failed a group of {Count} creates.", group.Count);
                group.ForEach(p => p.Done.TrySetException(ex));
            }

            group.Clear();
        }
    }

    private async Task CommitAsync(NotificationsDbContext db, List<Pending> group)
    {
        try
        {
            await InsertAsync(db, group);
            Succeeded(group);
        }
        catch (Exception ex) when (group.Count > 1 && !StoreUnavailability.IsUnavailable(ex))
        {
            // Something in one create's rows: the others are not at fault.
            _logger.LogWarning(ex, "PostgreSQL refused a group of {Count} creates; writing them one at a time.", group.Count);
            foreach (var pending in group)
            {
                try
                {
                    await InsertAsync(db, [pending]);
                    Succeeded([pending]);
                }
                catch (Exception alone)
                {
                    Failed([pending], alone);
                }
            }
        }
        catch (Exception ex)
        {
            Failed(group, ex);
        }
    }

    private async Task InsertAsync(NotificationsDbContext db, List<Pending> group)
    {
        var spans = group.Select(p => StoreActivities.Insert(p.Parent, "postgresql")).ToList();
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
            foreach (var pending in group)
            {
                _inserts.Add(batch, pending.Create);
            }

            await batch.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }
        catch (PostgresException ex)
        {
            // What a failed SaveChanges throws, so callers and error handling see the same exception either way.
            throw new DbUpdateException($"An error occurred while saving the notification's rows: {ex.MessageText}", ex);
        }
        finally
        {
            spans.ForEach(s => s?.Dispose());
        }
    }

    private void Succeeded(List<Pending> group)
    {
        _status.RecordSuccess();
        foreach (var pending in group)
        {
            // The inserts bypass the save interceptor that counts creates elsewhere.
            _metrics?.NotificationsCreated(1);
            _metrics?.LinksCreated(pending.Create.Link is null ? 0 : 1);
            pending.Done.TrySetResult();
        }
    }

    private void Failed(List<Pending> group, Exception ex)
    {
        // A save's failure reaches the readiness probe through StoreWriteWatch and the log through EF Core's command
        // logging; the inserts' through here.
        _logger.LogWarning(ex, "PostgreSQL failed {Count} creates.", group.Count);
        if (StoreUnavailability.IsUnavailable(ex))
        {
            _status.RecordFailure(ex);
        }

        group.ForEach(p => p.Done.TrySetException(ex));
    }

    private sealed class Pending(StagedCreate create)
    {
        public StagedCreate Create { get; } = create;

        /// <summary>The request's span, for the writer's span of the insert to sit under.</summary>
        public ActivityContext Parent { get; } = Activity.Current?.Context ?? default;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The three inserts of a create, as statements of a batch with positional parameters.</summary>
    private sealed class Inserts(Microsoft.EntityFrameworkCore.Metadata.IModel model)
    {
        private readonly Statement _notification = new(RowInsertPlan.For(model.FindEntityType(typeof(Notification))!));
        private readonly Statement _link = new(RowInsertPlan.For(model.FindEntityType(typeof(UserNotificationLink))!));
        private readonly Statement _change = new(RowInsertPlan.For(model.FindEntityType(typeof(ChangeLogEntry))!));

        public void Add(NpgsqlBatch batch, StagedCreate create)
        {
            _notification.Add(batch, create.Notification, create.Shadow);
            if (create.Link is not null)
            {
                _link.Add(batch, create.Link, create.Shadow);
            }

            if (create.Change is not null)
            {
                _change.Add(batch, create.Change, create.Shadow);
            }
        }
    }

    private sealed class Statement(RowInsertPlan plan)
    {
        private readonly string _sql = plan.Sql(i => $"${i + 1}");

        // A positional parameter's type is inferred from its value; a jsonb column would take text only with a cast.
        private readonly bool[] _jsonb = [.. plan.Columns.Select(c => c.StoreType == "jsonb")];

        public void Add(NpgsqlBatch batch, object entity, Func<string, object?> shadow)
        {
            var command = new NpgsqlBatchCommand(_sql);
            for (int i = 0; i < _jsonb.Length; i++)
            {
                var parameter = new NpgsqlParameter { Value = plan.Value(i, entity, shadow) };
                if (_jsonb[i])
                {
                    parameter.NpgsqlDbType = NpgsqlDbType.Jsonb;
                }

                command.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(command);
        }
    }
}
