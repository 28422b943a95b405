using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.ChangeLog;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Delta;

/// <summary>
/// Graph's delta query over one user's feed. The first call (no token) pages through the feed as it is, in the feed's
/// keyset order, and its last page links to the changes since the sync began: the change log's high-water mark read
/// before the first page, so nothing committed during a long initial sync is missed (a notification may come twice,
/// which Graph allows). Calling that link returns the feed's change-log entries after it, one item per notification
/// and page: as it is now when it is in the feed, else <c>@removed</c> with the reason the log gives.
/// </summary>
public sealed class DeltaQuery(NotificationStore store, ChangeLogReader log, DeltaTokens tokens, TimeProvider clock, IOptions<ChangeLogOptions> changeLog)
{
    internal async Task<(DeltaPage? Page, GraphError? Error)> ReadAsync(
        HttpRequest request, DeltaOptions options, AppScope app, string owner, CancellationToken cancellationToken)
    {
        int pageSize = PagePreference.Apply(request);
        var now = clock.GetUtcNow();
        if (options.IsFirstCall)
        {
            var start = await StartAsync(app, owner, options.Select, cancellationToken);
            return (await FeedPageAsync(request, start, pageSize, cancellationToken), null);
        }

        if (options.IsLatest)
        {
            // Graph's $deltatoken=latest: nothing of the past, only a link to the changes from now on.
            var latest = await StartAsync(app, owner, select: null, cancellationToken);
            return (new DeltaPage([], null, null, Link(request, "$deltatoken", tokens.ProtectDelta(latest))), null);
        }

        bool isDeltaToken = options.DeltaToken is not null;
        var (state, error) = Resume(options.DeltaToken ?? options.SkipToken!, isDeltaToken, app, owner);
        if (error is not null)
        {
            return (null, error);
        }

        // A delta token may hold a feed position too: a stream's event id issued during its initial sync.
        return state!.After is not null
            ? (await FeedPageAsync(request, state, pageSize, cancellationToken), null)
            : (await ChangesPageAsync(request, state, pageSize, now, cancellationToken), null);
    }

    /// <summary>Where a sync that begins now starts: the change log's high-water mark, as of now, less what the feed shows already.</summary>
    internal async Task<DeltaState> StartAsync(AppScope app, string owner, string? select, CancellationToken cancellationToken)
    {
        var start = await log.FeedStartAsync(app, owner, cancellationToken);
        return DeltaState.Starting(app, owner, start, clock.GetUtcNow().UtcTicks, select);
    }

    /// <summary>The state a token carries, or the 410 that tells the client to start over.</summary>
    internal (DeltaState? State, GraphError? Error) Resume(string token, bool isDeltaToken, AppScope app, string owner)
    {
        var state = tokens.Unprotect(token, isDeltaToken, app, owner);
        if (state is null)
        {
            return (null, SyncStateNotFound("The token is not one this service issued for this feed."));
        }

        if (clock.GetUtcNow().UtcTicks - state.Since > Lifetime(changeLog.Value.Retention).Ticks)
        {
            return (null, SyncStateNotFound($"The token is older than the change log's retention ({changeLog.Value.Retention}): changes since may be gone."));
        }

        return (state, null);
    }

    /// <summary>
    /// One page of an initial sync from <paramref name="state"/>: the notifications, each with the state just after
    /// it, and whether the feed has been read to its end.
    /// </summary>
    internal async Task<(List<(Notification Item, DeltaState After)> Items, bool Done)> FeedItemsAsync(DeltaState state, int pageSize, CancellationToken cancellationToken)
    {
        var feed = store.FeedPages(new AppScope(state.TenantId, state.AppId), state.UserId);
        object?[]? position = state.After is { } after ? [after.CreatedAt, after.Id] : null;
        var items = await feed.InDefaultOrder(position).Take(pageSize + 1).ToListAsync(cancellationToken);
        bool done = items.Count <= pageSize;
        return ([.. items.Take(pageSize).Select(n => (n, state with { After = PositionOf(feed, n) }))], done);
    }

    private static DeltaFeedPosition PositionOf(IKeysetCollection<Notification> feed, Notification notification) =>
        feed.DefaultPositionOf(notification) is [long createdAt, string id]
            ? new DeltaFeedPosition(createdAt, id)
            : throw new InvalidOperationException("A feed's position is its creation time and id.");

    // An entry is stamped when its change is made and becomes readable when that commits, so an entry just after a
    // position can be a little older than the moment the position was read: a token ends a minute (at most a tenth of
    // the retention) before the sweeper could reach such an entry.
    private static TimeSpan Lifetime(TimeSpan retention) => retention - TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerMinute, retention.Ticks / 10));

    internal static GraphError SyncStateNotFound(string why) => new(
        StatusCodes.Status410Gone,
        GraphErrorCodes.SyncStateNotFound,
        $"{why} Start over with a delta call without a token (GET …/notifications/delta), and keep the @odata.deltaLink its last page gives.");

    /// <summary>A page of the initial sync: the feed itself, after the last notification sent.</summary>
    private async Task<DeltaPage> FeedPageAsync(HttpRequest request, DeltaState state, int pageSize, CancellationToken cancellationToken)
    {
        var feed = store.FeedPages(new AppScope(state.TenantId, state.AppId), state.UserId);
        object?[]? position = state.After is { } after ? [after.CreatedAt, after.Id] : null;
        var items = await feed.InDefaultOrder(position).Take(pageSize + 1).ToListAsync(cancellationToken);
        if (items.Count > pageSize)
        {
            items.RemoveAt(items.Count - 1);
            var next = state with { After = PositionOf(feed, items[^1]) };
            return new DeltaPage([.. items.Select(DeltaItem.Present)], state.Select, Link(request, "$skiptoken", tokens.ProtectSkip(next)), null);
        }

        // The feed is read: the changes start at the mark read when the sync began.
        return new DeltaPage([.. items.Select(DeltaItem.Present)], state.Select, null, Link(request, "$deltatoken", tokens.ProtectDelta(state with { After = null })));
    }

    /// <summary>A page of changes: the change log after the token's position, one item per notification.</summary>
    private async Task<DeltaPage> ChangesPageAsync(HttpRequest request, DeltaState state, int pageSize, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var app = new AppScope(state.TenantId, state.AppId);
        var entries = await log.FeedChangesAsync(app, state.UserId, state.Position, state.Skipped, pageSize, cancellationToken);
        var ids = entries.Select(e => e.NotificationId).Distinct().ToList();
        var current = ids.Count == 0
            ? []
            : await store.Feed(app, state.UserId).Where(n => ids.Contains(n.Id)).ToListAsync(cancellationToken);
        var byId = current.ToDictionary(n => n.Id, StringComparer.Ordinal);

        // In the order of each notification's last change on this page.
        var items = new List<DeltaItem>();
        foreach (var last in entries.GroupBy(e => e.NotificationId).Select(g => g.Last()).OrderBy(e => e.Position))
        {
            if (byId.TryGetValue(last.NotificationId, out var notification))
            {
                items.Add(DeltaItem.Present(notification));
            }
            else if (last.ChangeType == FeedChangeType.Deleted)
            {
                items.Add(DeltaItem.Gone(last.NotificationId, last.RemovedReason ?? RemovedReason.Deleted));
            }

            // Otherwise it left the feed after this page's entries (a later one says how), or it has expired and the
            // expiry sweeper has yet to remove it (and log it as deleted).
        }

        var position = entries.Count > 0 ? entries[^1].Position : state.Position;
        if (entries.Count == pageSize)
        {
            var next = state.At(position);
            return new DeltaPage(items, state.Select, Link(request, "$skiptoken", tokens.ProtectSkip(next)), null);
        }

        // Everything committed so far has been read: the new position is current as of this read.
        var caughtUp = state.At(position) with { Since = now.UtcTicks };
        return new DeltaPage(items, state.Select, null, Link(request, "$deltatoken", tokens.ProtectDelta(caughtUp)));
    }

    // The path the client called (delta, delta() or microsoft.graph.delta()), with only the token: it carries the rest.
    private static Uri Link(HttpRequest request, string option, string token) =>
        new(UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, QueryString.Create(option, token)));
}
