using GraphNotifications.Api.Contract;
using GraphNotifications.Api.Identity;

namespace GraphNotifications.Api.Batch;

public static class BatchExtensions
{
    /// <summary>
    /// Serves <c>POST /v1.0/$batch</c> and <c>POST /beta/$batch</c>. Call it first, before any other middleware:
    /// it keeps the rest of the pipeline (everything registered after it, endpoints included) to run each
    /// sub-request through, so a sub-request passes every check a direct request passes.
    /// </summary>
    public static WebApplication UseGraphBatch(this WebApplication app)
    {
        RequestDelegate? pipeline = null;
        app.Use(next => pipeline = next);
        foreach (string version in ODataExtensions.Versions)
        {
            app.MapPost($"/{version}/$batch", context => BatchEndpoint.HandleAsync(context,
                    pipeline ?? throw new InvalidOperationException("The batch endpoint ran before the pipeline was built."), version))
                .RequireAuthorization(NotificationsPermission.PolicyName);
        }

        return app;
    }
}
