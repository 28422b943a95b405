namespace GraphNotifications.Api.Storage.ChangeLog;

internal static class ChangeLogExtensions
{
    /// <summary>The change log's reader, its retention settings (checked at start-up) and its sweeper.</summary>
    public static IServiceCollection AddChangeLog(this IServiceCollection services)
    {
        services.AddOptions<ChangeLogOptions>()
            .BindConfiguration(ChangeLogOptions.Section)
            .Validate(o => o.Retention >= ChangeLogOptions.MinimumRetention && o.Retention <= ChangeLogOptions.MaximumRetention,
                $"{ChangeLogOptions.Section}:Retention must lie between {ChangeLogOptions.MinimumRetention} and {ChangeLogOptions.MaximumRetention}.")
            .Validate(o => o.SweepInterval >= TimeSpan.FromSeconds(1) && o.SweepInterval <= TimeSpan.FromDays(1),
                $"{ChangeLogOptions.Section}:SweepInterval must lie between 00:00:01 and 1.00:00:00.")
            .Validate(o => o.SweepBatchSize is >= 1 and <= ChangeLogOptions.MaximumSweepBatchSize,
                $"{ChangeLogOptions.Section}:SweepBatchSize must lie between 1 and {ChangeLogOptions.MaximumSweepBatchSize}.")
            .ValidateOnStart();
        services.AddScoped<ChangeLogReader>();
        services.AddSingleton<ChangeLogSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeLogSweeper>());
        return services;
    }
}
