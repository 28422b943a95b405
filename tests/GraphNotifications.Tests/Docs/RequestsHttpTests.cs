using System.Net;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Docs;

/// <summary>
/// docs/requests.http runs top to bottom against the service, as an editor sends it, and every request answers what
/// its comment says: the walk-through stays true as the service changes.
/// </summary>
public sealed class RequestsHttpTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    private static readonly string FilePath = Path.Combine(AppContext.BaseDirectory, "docs", "requests.http");

    [Fact]
    public async Task The_walk_through_answers_request_by_request_as_its_comments_say()
    {
        var file = HttpFile.Parse(await File.ReadAllTextAsync(FilePath));
        file.Set("host", "http://localhost");
        file.Set("token", TestTokens.Delegated("walkthrough-user", "quickstart-app"));
        file.Set("appToken", TestTokens.AppOnly("quickstart-app"));
        using var client = service.ClientWith(token: null);

        var answered = new List<string>();
        foreach (var request in file.Requests)
        {
            using var message = file.ToMessage(request);
            var response = await client.SendAsync(message);
            await file.RememberAsync(request, response);
            var status = response.StatusCode;

            answered.Add($"{(int)status} {request.Method} {request.Url}");
            Assert.True((int)status < 400, $"{request.Title}: {request.Method} {message.RequestUri} answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (request.Url.Contains("appNotificationId", StringComparison.Ordinal))
            {
                // The app's own id finds the notification the walk-through created.
                Assert.Single((await response.ReadObjectAsync())["value"]!.AsArray());
            }
        }

        Assert.Equal(
        [
            "200 GET {{root}}/$metadata",
            "200 GET {{host}}/openapi.json",
            "201 POST {{root}}/me/notifications",
            "200 GET {{root}}/me/notifications",
            "200 GET {{root}}/me/notifications?$filter=priority%20eq%20'High'%20and%20startswith(payload/visualContent/title,'Title')&$select=id,priority,payload&$count=true",
            "200 GET {{root}}/me/notifications?$filter=appNotificationId%20eq%20'testDirectToastNotification'",
            "200 GET {{root}}/me/notifications/$count",
            "200 GET {{root}}/me/notifications/{{notificationId}}",
            "204 POST {{root}}/users/{{otherUser}}/notifications/$ref",
            "200 GET {{root}}/users/{{otherUser}}/notifications/$ref",
            "204 DELETE {{root}}/users/{{otherUser}}/notifications/{{notificationId}}/$ref",
            "204 POST {{root}}/users/{{otherUser}}/notifications/$ref",
            "204 DELETE {{root}}/users/{{otherUser}}/notifications/$ref?$id=notifications('{{notificationId}}')",
            "204 POST {{root}}/notifications('{{notificationId}}')/microsoft.graph.addRecipients",
            "204 POST {{root}}/notifications('{{notificationId}}')/microsoft.graph.removeRecipients",
            "200 GET {{root}}/me/notifications/delta?$select=id,groupName,payload",
            "200 GET {{root}}/me/notifications/delta?$deltatoken=latest",
            "200 PATCH {{root}}/me/notifications/{{notificationId}}",
            "204 PATCH {{root}}/me/notifications/{{notificationId}}",
            "204 PATCH {{root}}/me/notifications/{{notificationId}}",
            "200 GET {{root}}/me/notifications/$count?$filter=readState%20eq%20'unread'%20and%20userActionState%20ne%20'snoozed'",
            "204 POST {{root}}/me/notifications/microsoft.graph.markAllAsRead",
            "200 POST {{root}}/$batch",
            "200 GET {{deltaLink}}",
            "204 DELETE {{root}}/me/notifications/{{notificationId}}",
            "200 GET {{root}}/pushEndpoints/vapidPublicKey",
            "201 POST {{root}}/me/pushEndpoints",
            "200 GET {{root}}/me/pushEndpoints",
            "204 DELETE {{root}}/me/pushEndpoints/{{pushEndpointId}}",
        ], answered);
    }
}
