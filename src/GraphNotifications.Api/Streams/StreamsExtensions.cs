using GraphNotifications.Api.Subscriptions.Delivery;

namespace GraphNotifications.Api.Streams;

public static class StreamsExtensions
{
    /// <summary>
    /// The live stream of a feed: its settings (checked at start-up), the open streams, their dispatcher (woken by
    /// this instance's commits) and their heartbeat.
    /// </summary>
    public static IServiceCollection AddGraphStreams(this IServiceCollection services)
    {
        services.AddOptions<StreamOptions>().BindConfiguration(StreamOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var hub = ActivatorUtilities.CreateInstance<StreamHub>(sp);
            sp.GetService<ChangeCommitted>()?.Subscribe(hub.Wake);
            return hub;
        });
        services.AddHostedService<StreamDispatcher>();
        services.AddHostedService<StreamHeartbeat>();
        services.AddSingleton<FeedStream>();
        return services;
    }
}
