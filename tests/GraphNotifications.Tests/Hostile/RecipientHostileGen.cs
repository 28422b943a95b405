using System.Globalization;
using CsCheck;

namespace GraphNotifications.Tests.Hostile;

/// <summary>
/// Hostile requests for the recipient's side (docs/recipient.md): PATCHes of a feed item's state and bodies of
/// <c>markAllAsRead</c>, on every feed path and where they do not belong.
/// </summary>
public static class RecipientHostileGen
{
    private static readonly string[] StateNames = ["readState", "userActionState", "snoozedUntilDateTime", "createdDateTime"];

    private static readonly JsonPiece[] StateValues =
    [
        JsonText.String("read"), JsonText.String("unread"), JsonText.String("noInteraction"), JsonText.String("activated"),
        JsonText.String("dismissed"), JsonText.String("snoozed"), JsonText.String("Read"), JsonText.String("SNOOZED"), JsonText.String("1"),
        JsonText.String("microsoft.graph.notificationReadState'read'"), JsonText.String("read,unread"), new JRaw("0"), new JRaw("1"), new JRaw("3"),
        JsonText.String(DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture)),
        JsonText.String(DateTimeOffset.UtcNow.AddDays(400).ToString("O", CultureInfo.InvariantCulture)),
        JsonText.String("2001-01-01T00:00:00Z"), JsonText.String("9999-12-31T23:59:59Z"), JsonText.String("0001-01-01T00:00:00Z"),
    ];

    private static readonly Gen<JsonPiece> StateValue = Gen.Frequency((4, Gen.OneOf(StateValues)), (3, HostileGen.HostileValue));

    private static readonly Gen<byte[]> StateKey = Gen.Frequency(
        (6, Gen.OneOf(StateNames).Select(JsonText.Key)), (1, Gen.OneOf(HostileGen.DeclaredNames).Select(JsonText.Key)), (1, HostileGen.HostileKey));

    /// <summary>An object of state properties (and a few others) with plausible and hostile values.</summary>
    public static readonly Gen<byte[]> StateBody =
        Gen.Select(StateKey, StateValue).Array[0, 5].Select(members => new JObject([.. members.Select(m => new JMember(m.Item1, m.Item2))]).ToBytes());

    private static readonly string[] FeedItems =
    [
        "v1.0/me/notifications/{own}", "v1.0/users/{user}/notifications/{own}", "v1.0/users('{user}')/notifications('{own}')",
        "beta/me/notifications('{own}')", "v1.0/notifications/{own}", "v1.0/users/hostile-foreign-user/notifications/{own}", "v1.0/me/notifications/{foreign}",
    ];

    private static readonly string[] ActionPaths =
    [
        "v1.0/me/notifications/microsoft.graph.markAllAsRead", "v1.0/users/{user}/notifications/microsoft.graph.markAllAsRead",
        "v1.0/me/notifications/markAllAsRead", "beta/users('{user}')/notifications/graph.markAllAsRead", "v1.0/notifications/microsoft.graph.markAllAsRead",
        "v1.0/me/notifications/microsoft.graph.markAllAsRead()", "v1.0/me/notifications/{own}/microsoft.graph.markAllAsRead",
        "v1.0/users/hostile-foreign-user/notifications/microsoft.graph.markAllAsRead", "v1.0/me/microsoft.graph.markAllAsRead",
    ];

    private static readonly Gen<byte[]> ActionBody = Gen.Frequency(
        (4, Gen.Select(Gen.Frequency((5, Gen.Const(JsonText.Key("throughDateTime"))), (1, HostileGen.HostileKey)), StateValue).Array[0, 3]
            .Select(members => new JObject([.. members.Select(m => new JMember(m.Item1, m.Item2))]).ToBytes())),
        (2, HostileGen.Body));

    /// <summary>State PATCHes and markAllAsRead calls, by the user and by the app, the body sometimes faulted.</summary>
    public static readonly Gen<HostileRequest> Request = Gen.Frequency(
        (3, Gen.Select(Gen.OneOf(FeedItems), Gen.Frequency((4, StateBody), (1, HostileGen.Body)), Gen.Enum<Principal>(), HostileGen.ByteFault, HostileGen.AnyHeader.Array[0, 1])
            .Select(t => HostileRequest.Raw("PATCH", t.Item1, t.Item3, t.Item4(t.Item2), Setup.OwnInFeed) with { Headers = [new("Content-Type", "application/json"), .. t.Item5] })),
        (2, Gen.Select(Gen.OneOf(ActionPaths), ActionBody, Gen.Enum<Principal>(), Gen.Bool)
            .Select(t => t.Item4
                ? HostileRequest.Raw("POST", t.Item1, t.Item3, t.Item2, Setup.OwnInFeed)
                : new HostileRequest("POST", t.Item1, t.Item3, t.Item2, [new("Content-Type", "text/plain")], Setup.OwnInFeed))));
}
