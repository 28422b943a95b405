using System.Net;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Contract;

/// <summary>
/// Without a token a client can discover the service ($metadata, the service document) and nothing else: every
/// operation is a 401 that says, in the header and in a Graph error, that a bearer token is needed.
/// </summary>
public sealed class AnonymousAccessTests(ServiceFactory service) : IClassFixture<ServiceFactory>
{
    public static TheoryData<string> Discovery { get; } = new()
    {
        "/v1.0/$metadata",
        "/beta/$metadata",
        "/v1.0/$metadata?$format=application/json",
        "/v1.0/",
        "/beta/",
    };

    private static readonly (string Method, string Path)[] Operations =
    [
        ("GET", "me/notifications"),
        ("POST", "me/notifications"),
        ("GET", "me/notifications/n1"),
        ("GET", "me/notifications('n1')"),
        ("GET", "me/notifications/$ref"),
        ("POST", "me/notifications/$ref"),
        ("DELETE", "me/notifications/n1/$ref"),
        ("DELETE", "me/notifications/$ref?$id=notifications('n1')"),
        ("GET", "users/u1/notifications"),
        ("POST", "users/u1/notifications"),
        ("GET", "users/u1/notifications/n1"),
        ("GET", "users/u1/notifications/$ref"),
        ("POST", "users/u1/notifications/$ref"),
        ("DELETE", "users/u1/notifications/n1/$ref"),
        ("GET", "notifications"),
        ("POST", "notifications"),
        ("GET", "notifications/n1"),
    ];

    public static TheoryData<string, string> EveryOperation { get; } = Everywhere();

    [Theory]
    [MemberData(nameof(Discovery))]
    public async Task Discovery_documents_need_no_token(string url)
    {
        using var client = service.ClientWith(token: null);

        using var response = await client.GetAsync(url);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task The_anonymous_service_document_lists_the_entity_sets_and_the_singleton()
    {
        using var client = service.ClientWith(token: null);

        var document = await (await client.GetAsync("/v1.0/")).ReadObjectAsync();

        Assert.Equal("http://localhost/v1.0/$metadata", document["@odata.context"]!.GetValue<string>());
        var names = document["value"]!.AsArray().Select(e => $"{e!["kind"]!.GetValue<string>()} {e["name"]!.GetValue<string>()}").Order();
        Assert.Equal(["EntitySet notifications", "EntitySet subscriptions", "EntitySet users", "Singleton me"], names);
    }

    [Theory]
    [MemberData(nameof(EveryOperation))]
    public async Task Every_operation_without_a_token_is_a_401_asking_for_a_bearer_token(string method, string url)
    {
        using var client = service.ClientWith(token: null);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method == "POST")
        {
            request.Content = url.EndsWith("$ref", StringComparison.Ordinal)
                ? Bodies.Json("""{"@odata.id": "http://localhost/v1.0/notifications('n1')"}""")
                : Bodies.Json(Bodies.Minimal());
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, challenge => challenge.Scheme == "Bearer");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = await response.ReadObjectAsync();
        Assert.Equal("unauthorized", error.ErrorCode());
        Assert.Contains("bearer token", error.ErrorMessage(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(response.Headers.GetValues("request-id").Single(), error["error"]!["innerError"]!["request-id"]!.GetValue<string>());
    }

    private static TheoryData<string, string> Everywhere()
    {
        var data = new TheoryData<string, string>();
        foreach (string version in new[] { "v1.0", "beta" })
        {
            foreach (var (method, path) in Operations)
            {
                data.Add(method, $"/{version}/{path}");
            }
        }

        return data;
    }
}
