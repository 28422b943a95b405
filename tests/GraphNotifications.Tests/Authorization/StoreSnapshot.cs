using GraphNotifications.Api.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GraphNotifications.Tests.Authorization;

/// <summary>
/// Everything the store holds, as far as a request can change it: each notification's version, each link, and the
/// version of each link's recipient state, and each push endpoint.
/// </summary>
public sealed record StoreSnapshot(IReadOnlyDictionary<string, long> Versions, IReadOnlySet<string> Links, IReadOnlyDictionary<string, long> StateVersions,
    IReadOnlySet<string> PushEndpoints)
{
    public static async Task<StoreSnapshot> TakeAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var versions = await db.Notifications.AsNoTracking().ToDictionaryAsync(n => n.Id, n => n.Version);
        var links = await db.Links.AsNoTracking().Select(l => new { Key = l.UserId + " → " + l.NotificationId, l.StateVersion }).ToListAsync();
        var endpoints = await db.PushEndpoints.AsNoTracking().Select(e => e.Id).ToListAsync();
        return new StoreSnapshot(versions, links.Select(l => l.Key).ToHashSet(StringComparer.Ordinal), links.ToDictionary(l => l.Key, l => l.StateVersion, StringComparer.Ordinal),
            endpoints.ToHashSet(StringComparer.Ordinal));
    }

    public static string Link(string userId, string notificationId) => userId + " → " + notificationId;

    /// <summary>What differs from <paramref name="before"/>, in words; empty when nothing does.</summary>
    public string ChangesSince(StoreSnapshot before)
    {
        var changes = new List<string>();
        changes.AddRange(Versions.Where(v => !before.Versions.TryGetValue(v.Key, out long was) || was != v.Value)
            .Select(v => before.Versions.ContainsKey(v.Key) ? $"notification {v.Key} changed" : $"notification {v.Key} created"));
        changes.AddRange(before.Versions.Keys.Where(id => !Versions.ContainsKey(id)).Select(id => $"notification {id} deleted"));
        changes.AddRange(Links.Except(before.Links).Select(link => $"link {link} added"));
        changes.AddRange(before.Links.Except(Links).Select(link => $"link {link} removed"));
        changes.AddRange(StateVersions.Where(s => before.StateVersions.TryGetValue(s.Key, out long was) && was != s.Value)
            .Select(s => $"state of link {s.Key} changed"));
        changes.AddRange(PushEndpoints.Except(before.PushEndpoints).Select(id => $"push endpoint {id} registered"));
        changes.AddRange(before.PushEndpoints.Except(PushEndpoints).Select(id => $"push endpoint {id} deleted"));
        return string.Join("; ", changes);
    }
}
