using GraphNotifications.Api.Subscriptions;
using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Push;

/// <summary>
/// Whether the service may send to a push endpoint: the webhooks' rules (<see cref="NotificationUrlGuard"/>, the same
/// check again at connect by the push client), under the <c>Push</c> settings: https and public addresses only, except
/// where configuration allows, by default in Development.
/// </summary>
public sealed class PushEndpointRules(IOptions<PushOptions> options, IHostEnvironment environment)
{
    public bool RequireHttps => options.Value.RequireHttps ?? !environment.IsDevelopment();

    public bool AllowPrivateAddresses => options.Value.AllowPrivateEndpoints ?? environment.IsDevelopment();

    public Task<string?> WhyRefusedAsync(string endpoint, CancellationToken cancellationToken) =>
        NotificationUrlGuard.WhyRefusedAsync("endpoint", endpoint, RequireHttps, AllowPrivateAddresses, cancellationToken);
}
