using GraphNotifications.Api.Storage;
using Microsoft.AspNetCore.DataProtection;

namespace GraphNotifications.Api.Delta;

public static class DeltaExtensions
{
    /// <summary>
    /// Delta tokens: Data Protection with its key ring in the store, under one application name, so that every instance
    /// on the same database, and the service after a restart, reads tokens the others issued.
    /// </summary>
    public static IServiceCollection AddGraphDelta(this IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName("GraphNotifications")
            .PersistKeysToDbContext<NotificationsDbContext>();
        services.AddSingleton<DeltaTokens>();
        services.AddScoped<DeltaQuery>();
        return services;
    }
}
