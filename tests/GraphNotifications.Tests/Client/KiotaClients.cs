using GraphNotifications.Client;
using GraphNotifications.Client.Models;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace GraphNotifications.Tests.Client;

/// <summary>The generated client, pointed at a running service, signed in with a test token.</summary>
public static class KiotaClients
{
    /// <summary>The error mapping the generated request builders use: every 4xx and 5xx body read as Graph's error.</summary>
    public static Dictionary<string, ParsableFactory<IParsable>> GraphErrors { get; } = new()
    {
        ["XXX"] = Error.CreateFromDiscriminatorValue,
    };

    public static GraphNotificationsClient KiotaDelegated(this KestrelServiceFactory service, string userId, string appId) =>
        For(service.ServiceRoot, TestTokens.Delegated(userId, appId));

    public static GraphNotificationsClient KiotaAppOnly(this KestrelServiceFactory service, string appId) =>
        For(service.ServiceRoot, TestTokens.AppOnly(appId));

    /// <summary>
    /// A client whose adapter creates (and owns) Kiota's default HttpClient, with its whole handler pipeline (retry,
    /// redirect, parameter-name decoding, headers inspection): the client as an application would build it.
    /// </summary>
    public static GraphNotificationsClient For(Uri serviceRoot, string token) => new(Adapter(serviceRoot, token));

    /// <summary>The request adapter alone, for the requests the description does not list (the <c>$ref</c> routes).</summary>
    public static HttpClientRequestAdapter Adapter(Uri serviceRoot, string token) =>
        new(new BearerToken(token)) { BaseUrl = serviceRoot.AbsoluteUri.TrimEnd('/') };

    /// <summary>A notification to create, with a title of its own.</summary>
    public static NotificationCreate Notification(string title, Priority? priority = null) => new()
    {
        TargetHostName = "contoso.example",
        Priority = priority,
        Payload = new PayloadTypesCreate { VisualContent = new VisualPropertiesCreate { Title = title } },
    };

    /// <summary>The <c>@odata.etag</c> control information of a notification as the client read it.</summary>
    public static string ETag(this Notification notification) =>
        Assert.IsType<string>(notification.AdditionalData["@odata.etag"]);
}
