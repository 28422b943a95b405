namespace GraphNotifications.Api.FanOut;

public static class FanOutExtensions
{
    public static IServiceCollection AddGraphFanOut(this IServiceCollection services)
    {
        services.AddOptions<FanOutOptions>().BindConfiguration(FanOutOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
