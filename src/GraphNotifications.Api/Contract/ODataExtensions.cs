using GraphNotifications.Api.Errors;
using GraphNotifications.Api.Protocol;
using GraphNotifications.Api.Protocol.Json;
using GraphNotifications.Api.Querying;
using GraphNotifications.Api.Routing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.AspNetCore.OData;
using Microsoft.AspNetCore.OData.Formatter.Serialization;
using Microsoft.AspNetCore.OData.Query.Expressions;


namespace GraphNotifications.Api.Contract;

public static class ODataExtensions
{
    /// <summary>Graph's version segments; both serve the one contract.</summary>
    public static readonly string[] Versions = ["v1.0", "beta"];

    public static IMvcBuilder AddGraphOData(this IServiceCollection services)
    {
        var model = CsdlContract.Load();
        services.AddSingleton(model);
        services.AddSingleton(TimeProvider.System);
        // After AddOData's own setup has put its formatters in.
        services.PostConfigure<MvcOptions>(NegotiationSafeOutputFormatter.WrapODataFormatters);
        // Ahead of AspNetCoreOData's: notifications in the default format, written from a plan.
        services.PostConfigure<MvcOptions>(mvc => mvc.OutputFormatters.Insert(0, new NotificationJsonFormatter(model)));
        // Before any action runs: the query string as AspNetCoreOData will bind it, and what the response will need.
        services.Configure<MvcOptions>(mvc =>
        {
            mvc.Filters.Add<QueryOptionNamesFilter>();
            mvc.Filters.Add<ResponsePreconditions>();
        });

        return services
            .AddControllers(mvc =>
            {
                mvc.Filters.Add<GraphErrorResultFilter>();
                mvc.Filters.Add<NotificationETagFilter>();
                mvc.ReturnHttpNotAcceptable = true;
                // Every answer is OData JSON or a Graph error. MVC's own JSON formatter would answer Accept: text/json
                // (or text/*) with the CLR objects as they are stored: a bare array, the store's columns, no annotations.
                mvc.OutputFormatters.RemoveType<SystemTextJsonOutputFormatter>();
            })
            .AddOData(odata =>
            {
                // Graph's names are lower camel case; without these, routes to them are silently missing.
                odata.RouteOptions.EnableControllerNameCaseInsensitive = true;
                odata.RouteOptions.EnablePropertyNameCaseInsensitive = true;
                odata.RouteOptions.EnableActionNameCaseInsensitive = true;
                // The query options every collection answers; the limits themselves are in QueryLimits.
                odata.Select().Filter().OrderBy().Expand().Count().SkipToken().SetMaxTop(QueryLimits.MaxTop);
                odata.Conventions.Add(new ODataRouteConvention());
                foreach (string version in Versions)
                {
                    odata.AddRouteComponents(version, model, RouteServices);
                }
            });
    }

    private static void RouteServices(IServiceCollection services) => services
        .AddSingleton<ODataResourceSerializer, TypedResourceSerializer>()
        // $filter on dynamic properties, in the store (and in memory when $expand's nested $filter shapes a page).
        .AddSingleton<IFilterBinder, DynamicPropertyFilterBinder>();

}
