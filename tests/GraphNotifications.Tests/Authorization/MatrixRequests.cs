using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Authorization;

/// <summary>What a request of the matrix does when it succeeds, and so what the store must show afterwards.</summary>
public enum MatrixEffect
{
    Read,
    Count,
    Create,
    Update,
    Delete,
    Link,
    Unlink,

    /// <summary>Changes the recipient's state of the notification in the user's feed, and nothing else.</summary>
    State,

    /// <summary>Links the notification into another user's feed too (a fan-out that names the user and another).</summary>
    AddRecipients,

    /// <summary>Registers a push endpoint.</summary>
    RegisterEndpoint,

    /// <summary>Deletes the cell's push endpoint.</summary>
    DeleteEndpoint,
}

/// <summary>One row of the matrix as a request: its method, its URL for the cell's parties, and its body.</summary>
public sealed record MatrixRequest(
    string Method, Func<MatrixIdentities, string, string> Url, MatrixEffect Effect, Func<MatrixIdentities, string, JsonNode>? Body = null)
{
    /// <summary>Whether the path is the caller's own (<c>/me</c>): the spoiled tokens are then the user's.</summary>
    public bool OnMe { get; init; }

    /// <summary>
    /// Whether the row's subject is a push endpoint app A registered for the user (its id replaces the
    /// notification's in the URL, and a read must show it) rather than the notification.
    /// </summary>
    public bool OnPushEndpoint { get; init; }

    /// <summary>How the answer is read from the response; a <c>$batch</c> row reads its inner request's.</summary>
    public Func<HttpResponseMessage, Task<MatrixAnswer>> Read { get; init; } = MatrixAnswer.FromResponseAsync;

    /// <summary>
    /// How the request is sent and its answer read; a live stream's row reads its events up to the end of the initial
    /// sync, since the stream itself does not end.
    /// </summary>
    public Func<HttpClient, HttpRequestMessage, Task<MatrixAnswer>>? Send { get; init; }

    public async Task<MatrixAnswer> SendAsync(HttpClient client, HttpRequestMessage request) =>
        Send is { } send ? await send(client, request) : await Read(await client.SendAsync(request));

    /// <summary>
    /// Whether the route takes no token at all (a static page): every caller, a spoiled token too, gets the same answer,
    /// and nothing of the store.
    /// </summary>
    public bool Anonymous { get; init; }

    /// <summary>For a <c>$batch</c> row, the row of the request it carries, whose cells it must repeat.</summary>
    public string? Carries { get; init; }

    public HttpRequestMessage Build(MatrixIdentities ids, string notificationId) => new(new HttpMethod(Method), Url(ids, notificationId))
    {
        Content = Body is null ? null : Bodies.Json(Body(ids, notificationId)),
    };
}

/// <summary>
/// The matrix's rows, by the text of their first column in <c>docs/security.md</c>. A new route is one entry here and
/// one row there; a <c>$batch</c> row carries another row's request in a batch (<see cref="MatrixBatch"/>) and reads
/// the answer inside it.
/// </summary>
public static class MatrixRequests
{
    private const string Root = "http://localhost/v1.0/";

    public static IReadOnlyDictionary<string, MatrixRequest> All { get; } = WithBatches(new Dictionary<string, MatrixRequest>
    {
        ["POST /me/notifications"] = Me("POST", (_, _) => "me/notifications", MatrixEffect.Create, (_, _) => Bodies.Minimal()),
        ["POST /users/{user}/notifications"] = new("POST", (ids, _) => $"users/{ids.User}/notifications", MatrixEffect.Create, (_, _) => Bodies.Minimal()),
        ["POST /notifications"] = new("POST", (_, _) => "notifications", MatrixEffect.Create, (_, _) => Bodies.Minimal()),

        ["GET /me/notifications"] = Me("GET", (_, _) => "me/notifications", MatrixEffect.Read),
        ["GET /users/{user}/notifications"] = new("GET", (ids, _) => $"users/{ids.User}/notifications", MatrixEffect.Read),
        ["GET /notifications"] = new("GET", (_, _) => "notifications", MatrixEffect.Read),
        ["GET /me/notifications/{id}"] = Me("GET", (_, id) => $"me/notifications/{id}", MatrixEffect.Read),
        ["GET /users/{user}/notifications/{id}"] = new("GET", (ids, id) => $"users/{ids.User}/notifications/{id}", MatrixEffect.Read),
        ["GET /notifications/{id}"] = new("GET", (_, id) => $"notifications/{id}", MatrixEffect.Read),
        ["GET /notifications('{id}')"] = new("GET", (_, id) => $"notifications('{id}')", MatrixEffect.Read),

        ["PATCH /me/notifications/{id}"] = Me("PATCH", (_, id) => $"me/notifications/{id}", MatrixEffect.Update, (_, _) => Change()),
        ["PATCH /users/{user}/notifications/{id}"] = new("PATCH", (ids, id) => $"users/{ids.User}/notifications/{id}", MatrixEffect.Update, (_, _) => Change()),
        ["PATCH /notifications/{id}"] = new("PATCH", (_, id) => $"notifications/{id}", MatrixEffect.Update, (_, _) => Change()),

        ["PATCH /me/notifications/{id}: readState"] = Me("PATCH", (_, id) => $"me/notifications/{id}", MatrixEffect.State, (_, _) => MarkRead()),
        ["PATCH /users/{user}/notifications/{id}: readState"] = new("PATCH", (ids, id) => $"users/{ids.User}/notifications/{id}", MatrixEffect.State, (_, _) => MarkRead()),
        ["PATCH /notifications/{id}: readState"] = new("PATCH", (_, id) => $"notifications/{id}", MatrixEffect.State, (_, _) => MarkRead()),
        ["POST /me/notifications/microsoft.graph.markAllAsRead"] =
            Me("POST", (_, _) => "me/notifications/microsoft.graph.markAllAsRead", MatrixEffect.State, (_, _) => new JsonObject()),
        ["POST /users/{user}/notifications/microsoft.graph.markAllAsRead"] =
            new("POST", (ids, _) => $"users/{ids.User}/notifications/microsoft.graph.markAllAsRead", MatrixEffect.State, (_, _) => new JsonObject()),
        ["POST /notifications/microsoft.graph.markAllAsRead"] =
            new("POST", (_, _) => "notifications/microsoft.graph.markAllAsRead", MatrixEffect.State, (_, _) => new JsonObject()),

        ["DELETE /me/notifications/{id}"] = Me("DELETE", (_, id) => $"me/notifications/{id}", MatrixEffect.Delete),
        ["DELETE /users/{user}/notifications/{id}"] = new("DELETE", (ids, id) => $"users/{ids.User}/notifications/{id}", MatrixEffect.Delete),
        ["DELETE /notifications/{id}"] = new("DELETE", (_, id) => $"notifications/{id}", MatrixEffect.Delete),

        ["POST /me/notifications/$ref"] = Me("POST", (_, _) => "me/notifications/$ref", MatrixEffect.Link, (_, id) => Reference(id)),
        ["POST /users/{user}/notifications/$ref"] = new("POST", (ids, _) => $"users/{ids.User}/notifications/$ref", MatrixEffect.Link, (_, id) => Reference(id)),
        ["GET /me/notifications/$ref"] = Me("GET", (_, _) => "me/notifications/$ref", MatrixEffect.Read),
        ["GET /users/{user}/notifications/$ref"] = new("GET", (ids, _) => $"users/{ids.User}/notifications/$ref", MatrixEffect.Read),
        ["DELETE /me/notifications/{id}/$ref"] = Me("DELETE", (_, id) => $"me/notifications/{id}/$ref", MatrixEffect.Unlink),
        ["DELETE /users/{user}/notifications/{id}/$ref"] = new("DELETE", (ids, id) => $"users/{ids.User}/notifications/{id}/$ref", MatrixEffect.Unlink),
        ["DELETE /me/notifications/$ref?$id={url}"] = Me("DELETE", (_, id) => $"me/notifications/$ref?$id={Uri.EscapeDataString(UrlOf(id))}", MatrixEffect.Unlink),
        ["DELETE /users/{user}/notifications/$ref?$id={url}"] = new("DELETE", (ids, id) => $"users/{ids.User}/notifications/$ref?$id={Uri.EscapeDataString(UrlOf(id))}", MatrixEffect.Unlink),

        ["POST /notifications('{id}')/microsoft.graph.addRecipients"] = new("POST", (_, id) => $"notifications('{id}')/microsoft.graph.addRecipients",
            MatrixEffect.AddRecipients, (ids, _) => UserIds(ids.User, ids.OtherUser)),
        ["POST /notifications('{id}')/microsoft.graph.removeRecipients"] = new("POST", (_, id) => $"notifications('{id}')/microsoft.graph.removeRecipients",
            MatrixEffect.Unlink, (ids, _) => UserIds(ids.User)),

        ["GET /me/notifications/$count"] = Me("GET", (_, _) => "me/notifications/$count", MatrixEffect.Count),
        ["GET /users/{user}/notifications/$count"] = new("GET", (ids, _) => $"users/{ids.User}/notifications/$count", MatrixEffect.Count),
        ["GET /notifications/$count"] = new("GET", (_, _) => "notifications/$count", MatrixEffect.Count),

        ["GET /me/notifications/delta"] = Me("GET", (_, _) => "me/notifications/delta", MatrixEffect.Read),
        ["GET /users/{user}/notifications/delta"] = new("GET", (ids, _) => $"users/{ids.User}/notifications/delta", MatrixEffect.Read),
        ["GET /me/notifications/delta (Accept: text/event-stream)"] = Me("GET", (_, _) => "me/notifications/delta", MatrixEffect.Read) with { Send = MatrixStream.SendAsync },
        ["GET /users/{user}/notifications/delta (Accept: text/event-stream)"] =
            new MatrixRequest("GET", (ids, _) => $"users/{ids.User}/notifications/delta", MatrixEffect.Read) { Send = MatrixStream.SendAsync },

        ["GET /me?$expand=notifications"] = Me("GET", (_, _) => "me?$expand=notifications", MatrixEffect.Read),
        ["GET /users/{user}?$expand=notifications"] = new("GET", (ids, _) => $"users/{ids.User}?$expand=notifications", MatrixEffect.Read),
        // The users collection lists the users an app has notified; expanded, it shows whether the notification is seen.
        ["GET /users?$expand=notifications"] = new("GET", (_, _) => "users?$expand=notifications", MatrixEffect.Read),

        // The inbox page (docs/inbox.md): its files hold no data; the page calls the routes above with the user's token.
        ["GET /inbox/"] = new MatrixRequest("GET", (_, _) => "/inbox/", MatrixEffect.Read) { Anonymous = true },
        // A user's push endpoints: the cell's subject is an endpoint app A registered for the user ({endpoint}).
        ["POST /me/pushEndpoints"] = Me("POST", (_, _) => "me/pushEndpoints", MatrixEffect.RegisterEndpoint, (_, _) => Push.PushEndpointTests.Subscription()) with { OnPushEndpoint = true },
        ["POST /users/{user}/pushEndpoints"] =
            new MatrixRequest("POST", (ids, _) => $"users/{ids.User}/pushEndpoints", MatrixEffect.RegisterEndpoint, (_, _) => Push.PushEndpointTests.Subscription()) { OnPushEndpoint = true },
        ["GET /me/pushEndpoints"] = Me("GET", (_, _) => "me/pushEndpoints", MatrixEffect.Read) with { OnPushEndpoint = true },
        ["GET /users/{user}/pushEndpoints"] = new MatrixRequest("GET", (ids, _) => $"users/{ids.User}/pushEndpoints", MatrixEffect.Read) { OnPushEndpoint = true },
        ["GET /me/pushEndpoints/{endpoint}"] = Me("GET", (_, id) => $"me/pushEndpoints/{id}", MatrixEffect.Read) with { OnPushEndpoint = true },
        ["GET /users/{user}/pushEndpoints/{endpoint}"] =
            new MatrixRequest("GET", (ids, id) => $"users/{ids.User}/pushEndpoints/{id}", MatrixEffect.Read) { OnPushEndpoint = true },
        ["DELETE /me/pushEndpoints/{endpoint}"] = Me("DELETE", (_, id) => $"me/pushEndpoints/{id}", MatrixEffect.DeleteEndpoint) with { OnPushEndpoint = true },
        ["DELETE /users/{user}/pushEndpoints/{endpoint}"] =
            new MatrixRequest("DELETE", (ids, id) => $"users/{ids.User}/pushEndpoints/{id}", MatrixEffect.DeleteEndpoint) { OnPushEndpoint = true },
    });

    public static string UrlOf(string notificationId) => $"{Root}notifications('{notificationId}')";

    /// <summary>
    /// The <c>$batch</c> rows: a create, a read, a change and a delete, each sent as the only request of a batch, and a
    /// delete whose own <c>Authorization</c> header names app A, which may delete the notification.
    /// </summary>
    private static Dictionary<string, MatrixRequest> WithBatches(Dictionary<string, MatrixRequest> rows)
    {
        foreach (string carried in (string[])["POST /me/notifications", "GET /users/{user}/notifications/{id}", "PATCH /me/notifications/{id}", "DELETE /notifications/{id}"])
        {
            rows[$"POST /$batch: {carried}"] = MatrixBatch.Carrying(carried, rows[carried]);
        }

        rows["POST /$batch: DELETE /notifications/{id} with app A's token in its headers"] =
            MatrixBatch.Carrying("DELETE /notifications/{id}", rows["DELETE /notifications/{id}"], ownToken: MatrixCallers.Creator);
        return rows;
    }

    private static MatrixRequest Me(string method, Func<MatrixIdentities, string, string> url, MatrixEffect effect, Func<MatrixIdentities, string, JsonNode>? body = null) =>
        new(method, url, effect, body) { OnMe = true };

    private static JsonNode Change() => new JsonObject { ["groupName"] = "changed by the matrix" };

    private static JsonNode MarkRead() => new JsonObject { ["readState"] = "read" };

    private static JsonNode UserIds(params string[] userIds) => new JsonObject { ["userIds"] = new JsonArray([.. userIds.Select(u => JsonValue.Create(u))]) };

    private static JsonNode Reference(string notificationId) => new JsonObject { ["@odata.id"] = UrlOf(notificationId) };
}
