using CsCheck;

namespace GraphNotifications.Tests.Hostile;

/// <summary>
/// Hostile fan-out calls (docs/fan-out.md): <c>addRecipients</c> and <c>removeRecipients</c> bodies of plausible and
/// hostile user ids, arrays past the count limit and past the action's own body limit, members that are not the
/// parameter, repeated keys, the wrong types, on every spelling of the action's path and where it does not belong.
/// </summary>
public static class FanOutHostileGen
{
    private static readonly string[] ActionPaths =
    [
        "v1.0/notifications('{own}')/microsoft.graph.addRecipients", "v1.0/notifications/{own}/microsoft.graph.removeRecipients",
        "beta/notifications('{own}')/graph.addRecipients", "v1.0/notifications('{own}')/addRecipients", "v1.0/notifications('{own}')/microsoft.graph.removeRecipients",
        "v1.0/notifications('{own}')/microsoft.graph.addRecipients()", "v1.0/notifications('{foreign}')/microsoft.graph.addRecipients",
        "v1.0/notifications('{foreign}')/microsoft.graph.removeRecipients", "v1.0/notifications/microsoft.graph.addRecipients",
        "v1.0/me/notifications/{own}/microsoft.graph.addRecipients", "v1.0/users/{user}/notifications('{own}')/microsoft.graph.removeRecipients",
        "v1.0/notifications('{own}')/microsoft.graph.addRecipients/$ref", "v1.0/notifications('not-a-notification')/microsoft.graph.addRecipients",
        "v1.0/notifications(id='{own}')/microsoft.graph.addRecipients", "v1.0/notifications('{own}')/microsoft.graph.markAllAsRead",
    ];

    private static readonly JsonPiece[] PlausibleIds =
    [
        JsonText.String("{user}"), JsonText.String("fan-out-hostile-1"), JsonText.String("fan-out-hostile-2"), JsonText.String(""), JsonText.String(" "),
        JsonText.String(new string('u', 128)), JsonText.String(new string('u', 129)), JsonText.String("a\u0000b"), JsonText.String("ü€😀"),
        JsonText.String("users('x')"), JsonText.String("../../notifications"), JRaw.Null, new JRaw("0"), new JRaw("true"), new JRaw("[]"), new JRaw("{}"),
    ];

    private static readonly Gen<JsonPiece> UserId = Gen.Frequency((5, Gen.OneOf(PlausibleIds)), (2, HostileGen.HostileValue));

    /// <summary>
    /// Arrays of every size that matters: none, a few, the count limit with one bad id at its end, one past the limit,
    /// the limit of one id repeated, past the body limit. (Ten thousand distinct valid ids, linked, are the functional
    /// tests' case: here they would fill the in-memory store, which has no indexes, case after case.)
    /// </summary>
    private static readonly Gen<JsonPiece> UserIdList = Gen.Frequency(
        (28, UserId.Array[0, 12].Select(ids => (JsonPiece)new JArray([.. ids]))),
        (1, Gen.OneOf<JsonPiece>(JsonText.String(""), JRaw.Null, new JRaw("7"), JsonText.String(new string('u', 129)))
            .Select(bad => (JsonPiece)new JArray([.. Enumerable.Range(0, 9_999).Select(i => JsonText.String($"fan-out-many-{i}")), bad]))),
        (1, Gen.Const(0).Select(_ => (JsonPiece)new JArray([.. Enumerable.Range(0, 10_001).Select(i => JsonText.String($"fan-out-many-{i}"))]))),
        (1, Gen.Const(0).Select(_ => (JsonPiece)new JArray([.. Enumerable.Repeat(JsonText.String("{user}"), 10_000)]))),
        (1, Gen.Const(0).Select(_ => (JsonPiece)new JArray([.. Enumerable.Range(0, 40_000).Select(i => JsonText.String($"fan-out-huge-{i:D6}-{new string('p', 100)}"))]))));

    private static readonly Gen<JsonPiece> ParameterValue = Gen.Frequency((8, UserIdList), (2, HostileGen.HostileValue));

    private static readonly Gen<byte[]> ParameterKey = Gen.Frequency(
        (8, Gen.Const(JsonText.Key("userIds"))), (1, Gen.OneOf("UserIds", "userIds@odata.type", "userId", "@odata.type", "ids").Select(JsonText.Key)), (1, HostileGen.HostileKey));

    /// <summary>Objects of the parameter (sometimes twice) and others, and now and then a body that is not one at all.</summary>
    private static readonly Gen<byte[]> Body = Gen.Frequency(
        (6, Gen.Select(ParameterKey, ParameterValue).Array[0, 3].Select(members => new JObject([.. members.Select(m => new JMember(m.Item1, m.Item2))]).ToBytes())),
        (1, HostileGen.Body));

    /// <summary>Fan-out calls by the app, a user and nobody; the body sometimes faulted byte by byte, or sent as something other than JSON.</summary>
    public static readonly Gen<HostileRequest> Request = Gen.Select(
            Gen.OneOf(ActionPaths), Body, Gen.Frequency((6, Gen.Const(Principal.AppOnly)), (1, Gen.Const(Principal.Delegated)), (1, Gen.Const(Principal.Anonymous))),
            Gen.Frequency((6, Gen.Const<Func<byte[], byte[]>>(b => b)), (1, HostileGen.ByteFault)), Gen.Int[0, 9])
        .Select(t => t.Item5 switch
        {
            0 => new HostileRequest("POST", t.Item1, t.Item3, t.Item4(t.Item2), [new("Content-Type", "text/plain")], Setup.OwnInFeed),
            // Compressed: the action's limit counts the body as it decompresses.
            1 => new HostileRequest("POST", t.Item1, t.Item3, Gzip(t.Item4(t.Item2)), [new("Content-Type", "application/json"), new("Content-Encoding", "gzip")], Setup.OwnInFeed),
            _ => HostileRequest.Raw("POST", t.Item1, t.Item3, t.Item4(t.Item2), Setup.OwnInFeed),
        });

    private static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(body);
        }

        return output.ToArray();
    }
}
