using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GraphNotifications.Tests.Subscriptions;

internal static class SubscriptionBodies
{
    public static JsonObject New(Uri notificationUrl, string resource = "me/notifications", TimeSpan? expiresIn = null, string changeType = "created,updated") => new()
    {
        ["changeType"] = changeType,
        ["notificationUrl"] = notificationUrl.ToString(),
        ["resource"] = resource,
        ["expirationDateTime"] = In(expiresIn ?? TimeSpan.FromHours(1)),
        ["clientState"] = "secret-client-state",
    };

    public static string In(TimeSpan fromNow) => DateTimeOffset.UtcNow.Add(fromNow).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    /// <summary>Creates a subscription and returns it, failing the test unless the service answers 201.</summary>
    public static async Task<JsonObject> SubscribeAsync(this HttpClient client, JsonObject body)
    {
        var response = await client.PostAsync("subscriptions", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST subscriptions: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<string[]> SubscriptionIdsAsync(this HttpClient client)
    {
        var page = await client.ReadNotificationAsync("subscriptions");
        return page["value"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToArray();
    }

    /// <summary>A client of a factory derived with <c>WithWebHostBuilder</c>, carrying <paramref name="token"/>.</summary>
    public static HttpClient ClientWith(this WebApplicationFactory<Program> factory, string token)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost/v1.0/") });
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }
}
