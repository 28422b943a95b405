using System.Diagnostics;

namespace GraphNotifications.Api.Storage.GroupCommit;

/// <summary>
/// Spans for the writers' own inserts (SQLite's one writer, PostgreSQL's create groups), which EF Core's instrumentation does not see: a trace of a create
/// still shows the store command under the request that asked for it.
/// </summary>
public static class StoreActivities
{
    public const string SourceName = "GraphNotifications.Storage";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>A client span for one create's inserts, under the request's span; null when nobody listens.</summary>
    internal static Activity? Insert(ActivityContext parent, string system = "sqlite")
    {
        var activity = Source.StartActivity("INSERT notification", ActivityKind.Client, parent);
        activity?.SetTag("db.system", system);
        return activity;
    }
}
