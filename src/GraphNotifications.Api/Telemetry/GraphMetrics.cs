using System.Diagnostics.Metrics;
using GraphNotifications.Api.Errors;

namespace GraphNotifications.Api.Telemetry;

/// <summary>
/// The service's own meter, <c>GraphNotifications</c>: what it stored and what it refused. Request rate and latency
/// per route are ASP.NET Core's <c>http.server.request.duration</c>.
/// </summary>
public sealed class GraphMetrics
{
    public const string MeterName = "GraphNotifications";

    private readonly Counter<long> _created;
    private readonly Counter<long> _linksCreated;
    private readonly Counter<long> _linksRemoved;
    private readonly Counter<long> _expirationsSwept;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _pushesSent;
    private readonly Counter<long> _pushesFailed;
    private readonly Counter<long> _pushEndpointsRemoved;

    public GraphMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _created = meter.CreateCounter<long>("graphnotifications.notifications.created", "{notification}", "Notifications created.");
        _linksCreated = meter.CreateCounter<long>("graphnotifications.links.created", "{link}", "Notifications linked into a user's feed (at creation or by POST …/$ref).");
        _linksRemoved = meter.CreateCounter<long>("graphnotifications.links.removed", "{link}", "Notifications dismissed from a user's feed (DELETE …/$ref).");
        _expirationsSwept = meter.CreateCounter<long>("graphnotifications.expirations.swept", "{notification}", "Expired notifications the sweeper deleted.");
        _pushesSent = meter.CreateCounter<long>("graphnotifications.push.sent", "{push}", "Web Push messages a push service accepted, by kind (show, close).");
        _pushesFailed = meter.CreateCounter<long>("graphnotifications.push.failed", "{push}", "Web Push attempts that failed, by the push service's status code (or unreachable, expired).");
        _pushEndpointsRemoved = meter.CreateCounter<long>("graphnotifications.push.endpoints.removed", "{endpoint}", "Push endpoints deleted because their push service answered 404 or 410.");
        _rejected = meter.CreateCounter<long>("graphnotifications.requests.rejected", "{request}", "Requests answered with a Graph error, by error code and first detail code.");
    }

    public void NotificationsCreated(int count) => Add(_created, count);

    public void LinksCreated(int count) => Add(_linksCreated, count);

    public void LinksRemoved(int count) => Add(_linksRemoved, count);

    public void ExpirationsSwept(int count) => Add(_expirationsSwept, count);

    public void PushSent(string kind) => _pushesSent.Add(1, new KeyValuePair<string, object?>("push.kind", kind));

    public void PushFailed(string reason) => _pushesFailed.Add(1, new KeyValuePair<string, object?>("push.failure", reason));

    public void PushEndpointRemoved() => _pushEndpointsRemoved.Add(1);

    /// <summary>An error answer. The tags are the stable codes of docs/api.md, so their number stays small.</summary>
    public void Rejected(GraphError error) => _rejected.Add(1,
        new KeyValuePair<string, object?>("http.response.status_code", error.StatusCode),
        new KeyValuePair<string, object?>("graph.error.code", error.Code),
        new KeyValuePair<string, object?>("graph.error.detail_code", error.Details is { Count: > 0 } details ? details[0].Code : "none"));

    private static void Add(Counter<long> counter, int count)
    {
        if (count > 0)
        {
            counter.Add(count);
        }
    }
}
