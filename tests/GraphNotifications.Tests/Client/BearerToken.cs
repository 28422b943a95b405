using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;

namespace GraphNotifications.Tests.Client;

/// <summary>
/// Sends one bearer token on every request. Kiota's own bearer providers are built for token services and HTTPS;
/// the tests talk plain HTTP on loopback with tokens from <see cref="Infrastructure.TestTokens"/>.
/// </summary>
public sealed class BearerToken(string token) : IAuthenticationProvider
{
    public Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        request.Headers.Add("Authorization", "Bearer " + token);
        return Task.CompletedTask;
    }
}
