using GraphNotifications.Api.Contract;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GraphNotifications.Api.Push;

/// <summary>
/// <c>GET /v1.0/pushEndpoints/vapidPublicKey</c> (and <c>/beta/…</c>), without a token: the key a page passes to
/// <c>PushManager.subscribe({applicationServerKey})</c> before it can register an endpoint. Public by nature (RFC 8292).
/// </summary>
public static class VapidPublicKeyEndpoint
{
    public const string Path = "pushEndpoints/vapidPublicKey";

    public static IEndpointRouteBuilder MapVapidPublicKey(this IEndpointRouteBuilder endpoints)
    {
        foreach (string version in ODataExtensions.Versions)
        {
            endpoints.MapGet($"/{version}/{Path}", GetAsync).AllowAnonymous();
        }

        return endpoints;
    }

    private static async Task<Ok<VapidPublicKey>> GetAsync(VapidKeys keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(new VapidPublicKey((await keys.GetAsync(cancellationToken)).PublicKey));

    /// <summary>The answer: <c>{"publicKey": "&lt;base64url of the uncompressed P-256 point&gt;"}</c>.</summary>
    public sealed record VapidPublicKey(string PublicKey);
}
