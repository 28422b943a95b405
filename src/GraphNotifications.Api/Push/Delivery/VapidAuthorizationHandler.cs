using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Push.Delivery;

/// <summary>
/// Signs each push request with the service's VAPID key (RFC 8292: <c>Authorization: vapid t=&lt;JWT&gt;, k=&lt;key&gt;</c>),
/// the JWT's <c>aud</c> the origin of the push resource: scheme, host and port. Lib.Net.Http.WebPush's own signing
/// leaves a non-default port out of <c>aud</c>, which a push service that checks the origin refuses: its header is
/// replaced here by a token (<see cref="VapidAuthentication"/>) asked for the whole origin.
/// </summary>
internal sealed class VapidAuthorizationHandler(VapidKeys keys, IOptions<PushOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } target)
        {
            var pair = await keys.GetAsync(cancellationToken);
            using var vapid = new VapidAuthentication(pair.PublicKey, pair.PrivateKey) { Subject = options.Value.VapidSubject };
            string origin = target.GetLeftPart(UriPartial.Authority);
            request.Headers.Authorization = new("vapid", vapid.GetVapidSchemeAuthenticationHeaderValueParameter(origin));
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
