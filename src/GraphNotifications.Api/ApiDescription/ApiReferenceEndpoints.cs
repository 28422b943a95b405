using Scalar.AspNetCore;

namespace GraphNotifications.Api.ApiDescription;

/// <summary>
/// The API description (<c>/openapi.json</c>) and an interactive reference page built on it (<c>/scalar/</c>), outside
/// the OData routes and without a token, like <c>$metadata</c>: a client discovers the service before it signs in.
/// </summary>
public static class ApiReferenceEndpoints
{
    public const string OpenApiPath = "/openapi.json";
    public const string ReferencePath = "/scalar";

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(OpenApiPath, () => Results.Bytes(OpenApiDocument.Content, "application/json"))
            .AllowAnonymous();

        endpoints.MapScalarApiReference(ReferencePath, options =>
        {
            options.Title = "GraphNotifications API reference";
            options.OpenApiRoutePattern = OpenApiPath;

            // The description names the development host; "Send" goes to whichever host served the page instead.
            options.Servers = [new ScalarServer("/v1.0", "This service, v1.0"), new ScalarServer("/beta", "This service, beta")];

            // Offline: the page's script is embedded in the package; fonts would come from a CDN, telemetry and the
            // AI agent would call out.
            options.DefaultFonts = false;
            options.Telemetry = false;
            options.DisableAgent();
            options.DisableMcp();
            options.HideDeveloperTools();
        }).AllowAnonymous();

        return endpoints;
    }
}
