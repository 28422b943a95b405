using System.Threading.Channels;
using GraphNotifications.Api.Errors;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using GraphNotifications.Api.Telemetry;
using Microsoft.EntityFrameworkCore.Storage;

namespace GraphNotifications.Api.Storage.GroupCommit;

/// <summary>
/// The one writer of a SQLite store. SQLite takes one writer at a time, and Microsoft.Data.Sqlite blocks the calling
/// thread while it waits for the write lock and for the commit's fsync; so requests hand their writes to this
/// writer and await them, instead of each holding a pool thread asleep in SQLite's busy handler. The creates waiting
/// at the same moment share one transaction and one fsync (group commit); each is saved under its own savepoint, so
/// one that fails is undone alone, and each request is answered only after the commit that holds its change.
/// Writes inside a caller's own transaction (an idempotent create, a $batch atomicity group) do not come here.
/// </summary>
public sealed class SqliteWriteGroups : IAsyncDisposable
{
    /// <summary>Creates per transaction at most: enough to take a burst of 32 connections in one or two commits.</summary>
    public const int MaxGroup = 64;

    private readonly Channel<StagedWrite> _writes = Channel.CreateUnbounded<StagedWrite>(new() { SingleReader = true });
    private readonly ILogger<SqliteWriteGroups> _logger;
    private readonly StoreWriteStatus _status;
    private readonly AsyncServiceScope _scope;
    private readonly NotificationsDbContext _db;
    private readonly GraphMetrics? _metrics;
    private readonly Task _writer;

    public SqliteWriteGroups(IServiceScopeFactory scopes, ILogger<SqliteWriteGroups> logger, StoreWriteStatus status)
    {
        (_logger, _status) = (logger, status);
        // The writer's context is taken here, while the container is surely alive: the writer's task may first run
        // after a host that stops at once has begun disposing it.
        _scope = scopes.CreateAsyncScope();
        _db = _scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        _metrics = _scope.ServiceProvider.GetService<GraphMetrics>();
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Stages changes on the writer's context and completes once the group that holds them is committed.</summary>
    public Task WriteGroupedAsync(Action<NotificationsDbContext> stage) => Enqueue(StagedWrite.Grouped(stage));

    /// <summary>Inserts a create's rows in the next group and completes once that group is committed.</summary>
    internal Task WriteCreateAsync(StagedCreate create) => Enqueue(StagedWrite.Inserted(create));

    /// <summary>Runs a save of the caller's own context on the writer, between groups, and completes when it is done.</summary>
    public Task WriteAloneAsync(Action save) => Enqueue(StagedWrite.Alone(save));

    public async ValueTask DisposeAsync()
    {
        // The server has drained its requests by now: finish what was handed over, then stop.
        _writes.Writer.TryComplete();
        await _writer;
        await _scope.DisposeAsync();
    }

    private Task Enqueue(StagedWrite write) =>
        _writes.Writer.TryWrite(write) ? write.Done : Task.FromException(new ObjectDisposedException(nameof(SqliteWriteGroups)));

    private async Task WriteAsync()
    {
        var db = _db;
        var group = new Queue<StagedWrite>(MaxGroup);
        var reader = _writes.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && reader.TryPeek(out var next))
            {
                if (next.SaveAlone is { } saveAlone)
                {
                    if (group.Count > 0)
                    {
                        break;
                    }

                    reader.TryRead(out _);
                    RunAlone(next, saveAlone);
                    continue;
                }

                reader.TryRead(out _);
                group.Enqueue(next);
            }

            try
            {
                CommitGroup(db, group);
            }
            catch (Exception ex)
            {
                // Never leave a request waiting: whatever escaped fails the rest of the group.
                _logger.LogError(ex, "The SQLite writer failed a group of {Count} writes.", group.Count);
                while (group.TryDequeue(out var write))
                {
                    write.Fail(ex);
                }

                db.ChangeTracker.Clear();
            }
        }
    }

    private static void RunAlone(StagedWrite write, Action saveAlone)
    {
        try
        {
            saveAlone();
            write.Succeed();
        }
        catch (Exception ex)
        {
            write.Fail(ex);
        }
    }

    /// <summary>
    /// Commits the group in as few transactions as it takes: one, unless a failing write made SQLite roll back the
    /// whole transaction (a full or failing disk does), in which case the writes staged before it are staged again
    /// in a new one, without the one that failed.
    /// </summary>
    private void CommitGroup(NotificationsDbContext db, Queue<StagedWrite> group)
    {
        var staged = new List<StagedWrite>(group.Count);
        while (group.Count > 0)
        {
            using IDbContextTransaction transaction = db.Database.BeginTransaction();
            // Prepared once per transaction, on the connection EF Core opened for it (and closes after it, so settings
            // applied as a connection opens, such as a page quota, reach the writer too).
            using var inserts = new SqliteCreateInserts(db, (SqliteConnection)db.Database.GetDbConnection());
            bool rolledBack = false;
            while (!rolledBack && group.TryDequeue(out var write))
            {
                try
                {
                    // Inside a transaction EF Core saves under a savepoint and rolls back to it when the save fails.
                    if (write.Create is { } create)
                    {
                        using var activity = StoreActivities.Insert(write.Parent);
                        inserts.Insert((SqliteTransaction)transaction.GetDbTransaction(), create);
                    }
                    else
                    {
                        write.Stage!(db);
                        db.SaveChanges();
                    }

                    staged.Add(write);
                }
                catch (Exception ex)
                {
                    // A save's failure reaches the readiness probe through StoreWriteWatch; the inserts' through here.
                    if (write.Create is not null && StoreUnavailability.IsUnavailable(ex))
                    {
                        _status.RecordFailure(ex);
                    }

                    write.Fail(ex);
                    rolledBack = !InTransaction(db);
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }

            if (rolledBack)
            {
                var rest = group.ToArray();
                group.Clear();
                foreach (var write in staged.Concat(rest))
                {
                    group.Enqueue(write);
                }

                staged.Clear();
                continue;
            }

            try
            {
                transaction.Commit();
            }
            catch (Exception ex)
            {
                // The saves succeeded and said so; the commit is what failed, so the readiness probe hears it here.
                if (StoreUnavailability.IsUnavailable(ex))
                {
                    _status.RecordFailure(ex);
                }

                foreach (var write in staged)
                {
                    write.Fail(ex);
                }

                staged.Clear();
                continue;
            }

            if (staged.Any(w => w.Create is not null))
            {
                _status.RecordSuccess();
            }

            foreach (var write in staged)
            {
                if (write.Create is { } create)
                {
                    // The inserts bypass the save interceptor that counts creates elsewhere.
                    _metrics?.NotificationsCreated(1);
                    _metrics?.LinksCreated(create.Link is null ? 0 : 1);
                }

                write.Succeed();
            }

            staged.Clear();
        }
    }

    /// <summary>False when SQLite ended the transaction itself after an error (autocommit mode is back on).</summary>
    private static bool InTransaction(NotificationsDbContext db) =>
        db.Database.GetDbConnection() is SqliteConnection { Handle: { } handle } && SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0;
}
