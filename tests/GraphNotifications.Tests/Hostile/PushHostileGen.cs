using CsCheck;
using GraphNotifications.Tests.Push;

namespace GraphNotifications.Tests.Hostile;

/// <summary>
/// Hostile registrations of push endpoints (docs/push.md): a browser's subscription JSON changed by one to four
/// mutations, the general hostile bodies, faulted bytes, on every endpoints path and by every principal; and reads
/// and deletes of an endpoint by keys in odd syntaxes.
/// </summary>
public static class PushHostileGen
{
    private static readonly string[] Collections =
    [
        "v1.0/me/pushEndpoints", "v1.0/users/{user}/pushEndpoints", "beta/users('{user}')/pushEndpoints", "v1.0/users/hostile-foreign-user/pushEndpoints",
        "v1.0/me/pushEndpoints/$ref", "v1.0/pushEndpoints", "v1.0/me/pushEndpoints/{own}", "v1.0/me/pushEndpoints/vapidPublicKey",
    ];

    private static readonly string[] Items =
    [
        "v1.0/me/pushEndpoints/{own}", "v1.0/me/pushEndpoints('{own}')", "v1.0/users/{user}/pushEndpoints/{own}", "v1.0/me/pushEndpoints/",
        "v1.0/me/pushEndpoints/%00", "v1.0/me/pushEndpoints/..%2F..", "v1.0/me/pushEndpoints('a''b')", "v1.0/me/pushEndpoints/{foreign}",
        "v1.0/me/pushEndpoints?$expand=keys", "v1.0/me/pushEndpoints?$filter=keys/auth%20eq%20'x'&$select=endpoint,keys&$top=1",
        "v1.0/me?$expand=pushEndpoints", "v1.0/pushEndpoints/vapidPublicKey?$format=xml",
    ];

    /// <summary>A valid subscription with one to four mutations, or a general hostile body.</summary>
    private static readonly Gen<byte[]> Body = Gen.Frequency(
        (5, HostileGen.AnyMutation.Array[1, 4].Select(mutations => HostileGen.Mutate(PushEndpointTests.Subscription(), mutations))),
        (1, Gen.Const(0).Select(_ => HostileGen.Utf8(PushEndpointTests.Subscription()))),
        (2, HostileGen.Body));

    public static readonly Gen<HostileRequest> Request = Gen.Frequency(
        (4, Gen.Select(Gen.OneOf(Collections), Body, Gen.Enum<Principal>(), HostileGen.ByteFault, HostileGen.AnyHeader.Array[0, 1])
            .Select(t => HostileRequest.Raw("POST", t.Item1, t.Item3, t.Item4(t.Item2)) with { Headers = [new("Content-Type", "application/json"), .. t.Item5] })),
        (1, Gen.Select(Gen.OneOf("GET", "DELETE", "PATCH", "PUT"), Gen.OneOf(Items), Gen.Enum<Principal>())
            .Select(t => new HostileRequest(t.Item1, t.Item2, t.Item3, t.Item1 is "PATCH" or "PUT" ? HostileGen.Utf8(PushEndpointTests.Subscription()) : null,
                [new("Content-Type", "application/json")]))));
}
