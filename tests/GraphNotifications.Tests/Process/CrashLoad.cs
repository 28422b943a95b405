using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Process;

/// <summary>One kind of change a load worker sends.</summary>
public enum CrashOperation
{
    /// <summary><c>POST /me/notifications</c>: created and linked into the caller's feed, in one commit.</summary>
    CreateInFeed,

    /// <summary><c>POST /notifications</c> (app-only): created, linked to nobody.</summary>
    CreateUnlinked,

    /// <summary><c>POST /users/{id}/notifications/$ref</c>.</summary>
    Link,

    /// <summary><c>DELETE /users/{id}/notifications/{id}/$ref</c>.</summary>
    Dismiss,

    /// <summary><c>DELETE /notifications/{id}</c>.</summary>
    Delete,
}

/// <summary>
/// One request of the client's log: what was asked, and the status answered, or none when the connection died first
/// (the service was killed while it was in flight: it may or may not have been applied, but must be whole).
/// </summary>
/// <param name="Marker">A create's <c>groupName</c>, unique in the run: finds a notification whose create got no answer.</param>
public sealed record CrashRequest(int Worker, int Sequence, CrashOperation Operation, string? NotificationId, string? UserId, string? Marker)
{
    public HttpStatusCode? Status { get; set; }

    /// <summary>The id the service assigned, from a create's 201.</summary>
    public string? CreatedId { get; set; }

    public bool Acknowledged => Status is { } status && (int)status is >= 200 and < 300;
}

/// <summary>
/// What one worker's acknowledged requests say its slice of the store holds: its live notifications and, for each of
/// its users, the feed. Each worker works on its own notifications and users, one request at a time, so its log is a
/// total order and the expected state is exact; only its last request, unanswered at the kill, is open.
/// </summary>
public sealed class CrashWorkerModel
{
    public SortedSet<string> Live { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> Deleted { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, SortedSet<string>> Feeds { get; } = new(StringComparer.Ordinal);

    public CrashWorkerModel(IEnumerable<string> users)
    {
        foreach (string user in users)
        {
            Feeds[user] = new(StringComparer.Ordinal);
        }
    }

    /// <summary>Applies a change as the service should have, given the created notification's id for a create.</summary>
    public void Apply(CrashRequest request, string? createdId)
    {
        switch (request.Operation)
        {
            case CrashOperation.CreateInFeed when createdId is not null:
                Live.Add(createdId);
                Feeds[request.UserId!].Add(createdId);
                break;
            case CrashOperation.CreateUnlinked when createdId is not null:
                Live.Add(createdId);
                break;
            case CrashOperation.Link:
                Feeds[request.UserId!].Add(request.NotificationId!);
                break;
            case CrashOperation.Dismiss:
                Feeds[request.UserId!].Remove(request.NotificationId!);
                break;
            case CrashOperation.Delete:
                Live.Remove(request.NotificationId!);
                Deleted.Add(request.NotificationId!);
                foreach (var feed in Feeds.Values)
                {
                    feed.Remove(request.NotificationId!);
                }

                break;
        }
    }

    public CrashWorkerModel Clone()
    {
        var copy = new CrashWorkerModel(Feeds.Keys);
        copy.Live.UnionWith(Live);
        copy.Deleted.UnionWith(Deleted);
        foreach (var (user, feed) in Feeds)
        {
            copy.Feeds[user].UnionWith(feed);
        }

        return copy;
    }

    /// <summary>The state as text, for comparing and for a readable failure.</summary>
    public string Describe() =>
        $"live [{string.Join(", ", Live)}]; " + string.Join("; ", Feeds.Select(f => $"{f.Key}: [{string.Join(", ", f.Value)}]"));

    /// <summary>How many items of this state the other lacks or has in excess: what a crash lost or half-applied.</summary>
    public int Difference(CrashWorkerModel other) =>
        Live.Except(other.Live).Count() + other.Live.Except(Live).Count()
        + Feeds.Sum(f => f.Value.Except(other.Feeds[f.Key]).Count() + other.Feeds[f.Key].Except(f.Value).Count());
}

/// <summary>
/// One load worker: its own users and notifications, one request at a time, each logged with its answer, until a
/// request gets no answer (the service is gone) or the load is stopped.
/// </summary>
/// <param name="acknowledged">Completed at the first acknowledged request of any worker: the load is running.</param>
public sealed class CrashWorker(ServiceProcess service, string appId, string prefix, int index, int seed, TaskCompletionSource acknowledged)
{
    private readonly Random _random = new(seed);

    public int Index { get; } = index;

    public string Prefix { get; } = $"{prefix}-w{index}";

    public string[] Users { get; } = [$"{prefix}-w{index}-u0", $"{prefix}-w{index}-u1"];

    public List<CrashRequest> Log { get; } = [];

    /// <summary>The acknowledged requests' state, kept as the worker goes, to choose sensible next requests.</summary>
    public CrashWorkerModel Model => _model ??= new CrashWorkerModel(Users);

    private CrashWorkerModel? _model;

    // Taken while the service runs: a worker that a starved thread pool starts only after the kill still has clients.
    private readonly HttpClient _app = service.AppOnly(appId);
    private readonly HttpClient _delegated = service.Delegated($"{prefix}-w{index}-u0", appId);

    public async Task RunAsync(CancellationToken stop)
    {
        using var app = _app;
        using var delegated = _delegated;
        for (int sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            var request = Next(sequence);
            Log.Add(request);
            try
            {
                using var response = await SendAsync(request, app, delegated);
                request.Status = response.StatusCode;
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    request.CreatedId = (await response.ReadObjectAsync())["id"]!.GetValue<string>();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ObjectDisposedException or IOException or InvalidOperationException)
            {
                // No answer: the service died with the request in flight. This worker's log ends here.
                request.Status = null;
                request.CreatedId = null;
                return;
            }

            if (request.Acknowledged)
            {
                acknowledged.TrySetResult();
                Model.Apply(request, request.CreatedId);
            }
        }
    }

    private CrashRequest Next(int sequence)
    {
        var linked = Model.Feeds.SelectMany(f => f.Value.Select(id => (User: f.Key, Id: id))).ToList();
        var unlinked = Model.Feeds.SelectMany(f => Model.Live.Where(id => !f.Value.Contains(id)).Select(id => (User: f.Key, Id: id))).ToList();
        double roll = _random.NextDouble();
        if (Model.Live.Count < 3 || roll < 0.35)
        {
            var operation = _random.Next(2) == 0 ? CrashOperation.CreateInFeed : CrashOperation.CreateUnlinked;
            return new(Index, sequence, operation, null, operation == CrashOperation.CreateInFeed ? Users[0] : null, $"{Prefix}-{sequence}");
        }

        if (roll < 0.6 && unlinked.Count > 0)
        {
            var (user, id) = unlinked[_random.Next(unlinked.Count)];
            return new(Index, sequence, CrashOperation.Link, id, user, null);
        }

        if (roll < 0.85 && linked.Count > 0)
        {
            var (user, id) = linked[_random.Next(linked.Count)];
            return new(Index, sequence, CrashOperation.Dismiss, id, user, null);
        }

        string victim = Model.Live.ElementAt(_random.Next(Model.Live.Count));
        return new(Index, sequence, CrashOperation.Delete, victim, null, null);
    }

    private static Task<HttpResponseMessage> SendAsync(CrashRequest request, HttpClient app, HttpClient delegated)
    {
        switch (request.Operation)
        {
            case CrashOperation.CreateInFeed:
                return delegated.PostAsync("me/notifications", Body(request.Marker!));
            case CrashOperation.CreateUnlinked:
                return app.PostAsync("notifications", Body(request.Marker!));
            case CrashOperation.Link:
                return app.PostAsync($"users/{request.UserId}/notifications/$ref",
                    new JsonObject { ["@odata.id"] = $"notifications('{request.NotificationId}')" });
            case CrashOperation.Dismiss:
                return app.DeleteAsync($"users/{request.UserId}/notifications/{request.NotificationId}/$ref");
            default:
                return app.DeleteAsync($"notifications/{request.NotificationId}");
        }
    }

    private static JsonObject Body(string marker)
    {
        var body = Bodies.Minimal($"Crash load {marker}");
        body["groupName"] = marker;
        return body;
    }
}
