using Microsoft.Extensions.Options;

namespace GraphNotifications.Api.Operations;

/// <summary>
/// A graceful stop on SIGTERM (or Ctrl+C): the host's console lifetime stops the server, which stops accepting
/// connections and lets the requests in flight finish, for at most <see cref="ShutdownOptions.Timeout"/>; then the
/// hosted services stop (the store checkpoints), and the process exits with code 0.
/// </summary>
public static class ShutdownExtensions
{
    public static IServiceCollection AddGraphShutdown(this IServiceCollection services)
    {
        services.AddOptions<ShutdownOptions>()
            .BindConfiguration(ShutdownOptions.Section)
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Timeout <= ShutdownOptions.MaximumTimeout,
                $"{ShutdownOptions.Section}:Timeout must lie between 00:00:00 and {ShutdownOptions.MaximumTimeout}.")
            .ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.Timeout);
        return services;
    }
}
