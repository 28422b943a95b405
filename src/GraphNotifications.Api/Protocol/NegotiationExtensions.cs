using Microsoft.AspNetCore.Mvc;

namespace GraphNotifications.Api.Protocol;

public static class NegotiationExtensions
{
    /// <summary>Answers to creates (and updates, through <see cref="NotificationAnswers"/>) as <c>Prefer: return=…</c> asks.</summary>
    public static IServiceCollection AddGraphNegotiation(this IServiceCollection services) =>
        services.Configure<MvcOptions>(mvc => mvc.Filters.Add<CreatedAnswerFilter>());

    /// <summary>
    /// The request headers and <c>$format</c> that decide how the service answers, checked on every route before
    /// routing: unsupported conditions, OData versions, then the format.
    /// </summary>
    public static IApplicationBuilder UseGraphNegotiation(this IApplicationBuilder app) => app
        .UseMiddleware<UnsupportedConditionalHeaders>()
        .UseMiddleware<ODataVersionGuard>()
        .UseMiddleware<FormatNegotiation>();
}
