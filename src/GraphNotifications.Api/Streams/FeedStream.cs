using System.Globalization;
using GraphNotifications.Api.Delta;
using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Resources;
using GraphNotifications.Api.Storage;
using GraphNotifications.Api.Storage.ChangeLog;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Streams;

/// <summary>
/// One live stream of a feed (<c>GET …/notifications/delta</c> with <c>Accept: text/event-stream</c>): an event per
/// committed change of the feed, in commit order, its data the item as a delta page writes it, its id a delta token
/// just past that change. It starts where the request says: without a token, the feed as delta's initial sync sends it,
/// then its changes; from a token (<c>Last-Event-ID</c>, else <c>$deltatoken</c> or <c>$skiptoken</c>), right after
/// the event that token came with; at <c>$deltatoken=latest</c>, from now. What it missed it reads from the change log
/// itself, then takes the changes the dispatcher hands it; a change it has already sent is never sent again.
/// </summary>
/// <remarks>
/// The initial sync ends with an event named <c>synced</c> (data <c>{"@odata.deltaLink": …}</c>, as a delta page's last
/// link). It ends with an event named <c>reconnect</c> (data <c>{"reason": …}</c>: <c>tokenExpired</c>, <c>serviceStopping</c>,
/// <c>fellBehind</c>) when the client should come back with its last event id, and with an event named <c>error</c> (a
/// Graph error; <c>syncStateNotFound</c>) when it cannot resume and must sync again without a token.
/// <para>
/// One instance serves every stream (a singleton): an open stream holds its response, its position and its buffer
/// (<see cref="OpenStream"/>), nothing more. Each read of the store (a page of the initial sync, the catch-up from the
/// change log, an item the dispatcher did not load) borrows a store context in a scope of its own and gives it back,
/// so thousands of open streams hold no context; the heartbeat is the instance's one timer (<see cref="StreamHeartbeat"/>).
/// </para>
/// </remarks>
public sealed partial class FeedStream(
    IServiceScopeFactory scopes,
    DeltaTokens tokens,
    StreamHub hub,
    IOptions<StreamOptions> options,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<FeedStream> logger)
{
    public const string LastEventIdHeader = "Last-Event-ID";

    // What a run reads and writes with (a nested type does not see the primary constructor's parameters).
    private readonly IServiceScopeFactory _scopes = scopes;
    private readonly DeltaTokens _tokens = tokens;
    private readonly TimeProvider _clock = clock;
    private const int LiveBatch = 100;

    /// <summary>One read of the store, on a context of its own scope, given back when the read is done.</summary>
    private async Task<T> ReadAsync<TService, T>(Func<TService, Task<T>> read)
        where TService : notnull
    {
        await using var scope = _scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Runs the stream until the client leaves, its token expires, the service stops or it falls behind.</summary>
    internal async Task<IActionResult> RunAsync(ActionContext context, AppScope app, string owner, DeltaOptions deltaOptions)
    {
        var http = context.HttpContext;
        var settings = options.Value;
        var (stream, refused) = hub.TryOpen(new FeedKey(app.TenantId, app.AppId, owner));
        if (refused is not null)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(settings.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return new GraphErrorResult(refused);
        }

        try
        {
            int pageSize = PagePreference.Apply(http.Request);
            var aborted = http.RequestAborted;
            using var expiry = new CancellationTokenSource();
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(aborted, lifetime.ApplicationStopping, expiry.Token);
            // A timer reaches at most ~49.7 days ahead; a token that lives longer (dotnet user-jwts mints them for
            // months) is not cut by its expiry: a stream open that long ends for other reasons first (a restart).
            if (ExpiresIn(http) is { } left && left < LongestExpiryTimer)
            {
                expiry.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }

            await StartResponseAsync(http);
            var run = new Run(this, context, app, owner, stream!, pageSize);
            string? reason = null;
            try
            {
                await run.StreamAsync(deltaOptions, ended.Token);
            }
            catch (OperationCanceledException) when (ended.IsCancellationRequested)
            {
                reason = aborted.IsCancellationRequested ? null
                    : lifetime.ApplicationStopping.IsCancellationRequested ? "serviceStopping"
                    : "tokenExpired";
            }

            if (stream!.FellBehind)
            {
                reason ??= "fellBehind";
            }

            if (reason is not null)
            {
                await EndAsync(http, reason);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && http.RequestAborted.IsCancellationRequested)
        {
            // The client left.
        }
        finally
        {
            hub.Close(stream!);
        }

        return new EmptyResult();
    }

    // The token's own end: the bearer handler lets a token through for a few minutes past it (clock skew), a stream
    // does not outlive it.
    private static readonly TimeSpan LongestExpiryTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private static TimeSpan? ExpiresIn(HttpContext http) =>
        http.User.FindFirst("exp")?.Value is { } exp && long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) - DateTimeOffset.UtcNow
            : null;

    private static async Task StartResponseAsync(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = EventStreamRequest.MediaType;
        response.Headers.CacheControl = "no-cache";
        // Proxies that buffer responses (nginx) pass this one on as it comes.
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await new ServerSentEvents().Comment("stream of the feed's changes").SendAsync(response, http.RequestAborted);
    }

    private async Task EndAsync(HttpContext http, string reason)
    {
        try
        {
            await new ServerSentEvents().Event("reconnect", null, $"{{\"reason\":\"{reason}\"}}").SendAsync(http.Response, http.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            LogEndNotSent(logger, reason);
        }
    }

    /// <summary>The state of one run: where the client stands, and how its items are written.</summary>
    private sealed class Run(FeedStream owner, ActionContext context, AppScope app, string userId, OpenStream stream, int pageSize)
    {
        private readonly HttpResponse _response = context.HttpContext.Response;
        private DeltaState _state = null!;

        public async Task StreamAsync(DeltaOptions deltaOptions, CancellationToken cancellationToken)
        {
            var (state, error) = await StartAsync(deltaOptions, cancellationToken);
            if (error is not null)
            {
                string data = GraphErrorWriter.ToJson(context.HttpContext, error);
                await new ServerSentEvents().Event("error", null, data).SendAsync(_response, cancellationToken);
                return;
            }

            _state = state!;
            if (_state.After is not null || IsInitialSync(deltaOptions))
            {
                await InitialSyncAsync(cancellationToken);
            }

            // Everything after the attach point comes from the dispatcher; up to it, and whatever came before it, from the log.
            await stream.Attached.WaitAsync(cancellationToken);
            await CatchUpAsync(cancellationToken);
            await LiveAsync(cancellationToken);
        }

        private bool IsInitialSync(DeltaOptions deltaOptions) =>
            context.HttpContext.Request.Headers[LastEventIdHeader].Count == 0 && deltaOptions.IsFirstCall;

        private async Task<(DeltaState? State, GraphError? Error)> StartAsync(DeltaOptions deltaOptions, CancellationToken cancellationToken)
        {
            string? lastEventId = context.HttpContext.Request.Headers[LastEventIdHeader].ToString().Trim();
            string? token = string.IsNullOrEmpty(lastEventId) ? deltaOptions.DeltaToken ?? deltaOptions.SkipToken : lastEventId;
            if (token is null)
            {
                return (await owner.ReadAsync<DeltaQuery, DeltaState>(delta => delta.StartAsync(app, userId, deltaOptions.Select, cancellationToken)), null);
            }

            if (token.Equals(DeltaOptions.Latest, StringComparison.OrdinalIgnoreCase))
            {
                return (await owner.ReadAsync<DeltaQuery, DeltaState>(delta => delta.StartAsync(app, userId, select: null, cancellationToken)), null);
            }

            // Event ids are delta tokens; a $skiptoken of a paged delta call resumes its initial sync.
            bool isSkipToken = string.IsNullOrEmpty(lastEventId) && deltaOptions.DeltaToken is null;
            return await owner.ReadAsync<DeltaQuery, (DeltaState?, GraphError?)>(
                delta => Task.FromResult(delta.Resume(token, isDeltaToken: !isSkipToken, app, userId)));
        }

        private async Task InitialSyncAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var (items, done) = await owner.ReadAsync<DeltaQuery, (List<(Notification Item, DeltaState After)>, bool)>(
                    delta => delta.FeedItemsAsync(_state, pageSize, cancellationToken));
                var page = items.Select(i => (DeltaItem.Present(i.Item), (string?)owner._tokens.ProtectDelta(i.After))).ToList();
                await SendAsync(page, cancellationToken);
                if (items.Count > 0)
                {
                    _state = items[^1].After;
                }

                if (done)
                {
                    // The end of the initial sync, as a delta page's deltaLink marks it: what follows are changes.
                    _state = _state with { After = null };
                    string token = owner._tokens.ProtectDelta(_state);
                    var request = context.HttpContext.Request;
                    string link = UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, QueryString.Create("$deltatoken", token));
                    var synced = new JsonObject { ["@odata.deltaLink"] = link };
                    await new ServerSentEvents().Event("synced", token, synced.ToJsonString()).SendAsync(_response, cancellationToken);
                    return;
                }
            }
        }

        private async Task CatchUpAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var entries = await owner.ReadAsync<ChangeLogReader, List<ChangeLogEntry>>(
                    log => log.FeedChangesAsync(app, userId, _state.Position, _state.Skipped, pageSize, cancellationToken));
                await SendChangesAsync([.. entries.Select(e => new StreamChange(e, Loaded: false, null))], cancellationToken);
                if (entries.Count < pageSize)
                {
                    return;
                }
            }
        }

        private async Task LiveAsync(CancellationToken cancellationToken)
        {
            var batch = new List<StreamChange>(LiveBatch);
            while (true)
            {
                bool beat = false;
                while (batch.Count < LiveBatch && stream.TryRead(out var change, out bool isBeat))
                {
                    if (isBeat)
                    {
                        beat = true;
                    }
                    else
                    {
                        batch.Add(change!);
                    }
                }

                if (batch.Count > 0)
                {
                    // Events went out: the stream was not idle, a beat that fell due meanwhile is not needed.
                    await SendChangesAsync(batch, cancellationToken);
                    batch.Clear();
                    continue;
                }

                if (beat)
                {
                    await new ServerSentEvents().Comment("heartbeat").SendAsync(_response, cancellationToken);
                    continue;
                }

                if (!await stream.Changes.WaitToReadAsync(cancellationToken))
                {
                    // Completed: it fell behind, and everything it was handed has been sent.
                    return;
                }
            }
        }

        /// <summary>Sends an event per change after the client's position (the others it has had), and moves it on.</summary>
        private async Task SendChangesAsync(IReadOnlyList<StreamChange> changes, CancellationToken cancellationToken)
        {
            var fresh = changes.Where(c => _state.Follows(c.Entry)).ToList();
            if (fresh.Count == 0)
            {
                return;
            }

            var toRead = fresh.Where(c => !c.Loaded).Select(c => c.Entry.NotificationId).Distinct().ToList();
            var read = toRead.Count == 0
                ? []
                : await owner.ReadAsync<NotificationStore, Dictionary<string, Notification>>(store =>
                    store.Feed(app, userId).Where(n => toRead.Contains(n.Id)).ToDictionaryAsync(n => n.Id, StringComparer.Ordinal, cancellationToken));

            long now = owner._clock.GetUtcNow().UtcTicks;
            var events = new List<(DeltaItem Item, string? Id)>();
            foreach (var change in fresh)
            {
                var entry = change.Entry;
                var current = change.Loaded ? change.Current : read.GetValueOrDefault(entry.NotificationId);
                var item = current is not null ? DeltaItem.Present(current)
                    : entry.ChangeType == FeedChangeType.Deleted ? DeltaItem.Gone(entry.NotificationId, entry.RemovedReason ?? RemovedReason.Deleted)
                    : null;

                // Without an item (it left the feed later, and a later change says so) there is no event.
                if (item is not null)
                {
                    events.Add((item, owner._tokens.ProtectDelta(_state.At(entry.Position) with { Since = now, After = null })));
                }
            }

            await SendAsync(events, cancellationToken);
            _state = _state.At(fresh[^1].Entry.Position) with { Since = now };
        }

        /// <summary>Writes the items as a delta page writes them, one event each, and flushes.</summary>
        private async Task SendAsync(IReadOnlyList<(DeltaItem Item, string? Id)> events, CancellationToken cancellationToken)
        {
            if (events.Count == 0)
            {
                return;
            }

            var page = new DeltaPage([.. events.Select(e => e.Item)], _state.Select, null, null);
            // A context per write: the formatter leaves its negotiated type on the response it wrote.
            var (written, _, refused) = await DeltaResponse.RenderAsync(ItemContext.For(context), page);
            if (refused is not null)
            {
                throw new InvalidOperationException($"The stream's items could not be written: {refused.Message}");
            }

            var text = new ServerSentEvents();
            for (int i = 0; i < events.Count; i++)
            {
                text.Event(null, events[i].Id, written!.Value[i]!.ToJsonString());
            }

            await text.SendAsync(_response, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A stream ended ({Reason}) before its last event could be sent")]
    private static partial void LogEndNotSent(ILogger logger, string reason);
}
