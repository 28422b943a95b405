namespace GraphNotifications.Api.Routing;

/// <summary>
/// An OData path an action answers, relative to the service root of every version (<c>/v1.0</c>, <c>/beta</c>),
/// such as <c>users/{userId}/notifications/{notificationId}</c>. Unlike an MVC route template, it answers every
/// spelling OData allows for the same path: <c>notifications/{id}</c> and <c>notifications('{id}')</c> alike.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ODataRouteAttribute(string httpMethod, string pathTemplate) : Attribute
{
    public string HttpMethod { get; } = httpMethod;

    public string PathTemplate { get; } = pathTemplate;
}
