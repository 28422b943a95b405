using System.Reflection;
using GraphNotifications.Api.Controllers;
using Microsoft.AspNetCore.OData.Extensions;
using Microsoft.AspNetCore.OData.Routing.Conventions;
using Microsoft.AspNetCore.OData.Routing;
using Microsoft.AspNetCore.OData.Routing.Parser;
using Microsoft.AspNetCore.OData.Routing.Template;

namespace GraphNotifications.Api.Routing;

/// <summary>
/// Routes the actions marked with <see cref="ODataRouteAttribute"/>. AspNetCoreOData's attribute routing keeps the
/// one spelling written in the template; building the selector from the parsed OData path template instead (as its
/// own conventions do) makes every key syntax match, under every route prefix.
/// </summary>
public sealed class ODataRouteConvention : IODataControllerActionConvention
{
    private readonly DefaultODataPathTemplateParser _parser = new();

    public int Order => -1000;

    public bool AppliesToController(ODataControllerActionContext context) =>
        typeof(GraphController).IsAssignableFrom(context.Controller.ControllerType);

    public bool AppliesToAction(ODataControllerActionContext context)
    {
        var routes = context.Action.ActionMethod.GetCustomAttributes<ODataRouteAttribute>().ToList();
        var services = context.Options.RouteComponents[context.Prefix].ServiceProvider;
        foreach (var route in routes)
        {
            var template = _parser.Parse(context.Model, route.PathTemplate, services)
                ?? throw new InvalidOperationException($"'{route.PathTemplate}' on {context.Action.DisplayName} is not a path of the contract.");
            context.Action.AddSelector(route.HttpMethod, context.Prefix, context.Model, template, context.Options.RouteOptions);
            if (template.OfType<FunctionSegmentTemplate>().Any())
            {
                // Graph's documents call functions without parentheses (…/notifications/delta), OData with them; the
                // framework builds one form or the other, so both are added. Either is a literal segment, which
                // outranks the key of …/notifications/{id}.
                context.Action.AddSelector(route.HttpMethod, context.Prefix, context.Model, template, WithoutParentheses(context.Options.RouteOptions));
            }
        }

        return routes.Count > 0;
    }

    private static ODataRouteOptions WithoutParentheses(ODataRouteOptions options) => new()
    {
        EnableKeyInParenthesis = options.EnableKeyInParenthesis,
        EnableKeyAsSegment = options.EnableKeyAsSegment,
        EnableQualifiedOperationCall = options.EnableQualifiedOperationCall,
        EnableUnqualifiedOperationCall = options.EnableUnqualifiedOperationCall,
        EnableControllerNameCaseInsensitive = options.EnableControllerNameCaseInsensitive,
        EnableActionNameCaseInsensitive = options.EnableActionNameCaseInsensitive,
        EnablePropertyNameCaseInsensitive = options.EnablePropertyNameCaseInsensitive,
        EnableNonParenthesisForEmptyParameterFunction = true,
    };
}
