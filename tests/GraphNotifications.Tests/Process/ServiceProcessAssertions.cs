using System.Net;
using System.Text.Json.Nodes;

namespace GraphNotifications.Tests.Process;

internal static class ServiceProcessAssertions
{
    /// <summary>Asserts the status, showing the response body and the service's output when it differs.</summary>
    public static async Task AssertStatusAsync(this ServiceProcess service, HttpStatusCode expected, HttpResponseMessage response)
    {
        if (response.StatusCode != expected)
        {
            string body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, " +
                $"got {(int)response.StatusCode} {body}{Environment.NewLine}Service output:{Environment.NewLine}{service.Output}");
        }
    }

    /// <summary>
    /// A notification's properties, without the <c>@odata.context</c> that depends on the URL it was read through.
    /// </summary>
    public static JsonObject Properties(JsonNode notification)
    {
        var copy = notification.DeepClone().AsObject();
        copy.Remove("@odata.context");
        return copy;
    }

    public static void AssertSameProperties(JsonNode expected, JsonNode actual)
    {
        var (want, got) = (Properties(expected), Properties(actual));
        Assert.True(JsonNode.DeepEquals(want, got), $"Expected{Environment.NewLine}{want}{Environment.NewLine}but read{Environment.NewLine}{got}");
    }
}
