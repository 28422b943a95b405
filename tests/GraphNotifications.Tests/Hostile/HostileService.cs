using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphNotifications.Api.Storage;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Sdk;

namespace GraphNotifications.Tests.Hostile;

/// <summary>
/// The in-process service under hostile input, and what must hold for every request thrown at it:
/// <list type="bullet">
/// <item>an answer within <see cref="RequestBound"/> (no hang), and no 5xx: the only 5xx allowed is the documented
/// <c>501 notImplemented</c> for a query the service does not implement;</item>
/// <item>every error is a Graph error: <c>{"error": {"code", "message", …, "innerError": {"request-id", …}}}</c> in
/// JSON, its code the status's, its request-id the response's;</item>
/// <item>every response header could go on the wire (Kestrel refuses control and non-ASCII characters, and then
/// answers 500 with no body);</item>
/// <item>a rejected request (4xx) stores nothing: the case's app's notifications and every link of its app, of its
/// user and of another app's notification are the same, in the store, before and after;</item>
/// <item>what an accepted request stored reads back: the app's <c>/notifications</c> and the user's feed answer 200
/// with exactly the stored ids.</item>
/// </list>
/// </summary>
public sealed class HostileService : IAsyncDisposable
{
    /// <summary>How long one request may take before the case counts as a hang.</summary>
    public static readonly TimeSpan RequestBound = TimeSpan.FromSeconds(10);

    private static readonly Uri Root = new("http://localhost/");
    private static readonly string[] DetailCodes = ["missingProperty", "invalidValue", "invalidType", "unknownProperty", "readOnlyProperty"];

    private readonly ServiceFactoryBase _root;
    private readonly WebApplicationFactory<Program> _factory;
    private readonly HttpClient _client;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly ServiceExceptions _exceptions = new();
    private int _cases;

    private HostileService(ServiceFactoryBase root)
    {
        _root = root;
        _factory = root.WithWebHostBuilder(host => host
            // Rate limits are tested elsewhere; here every case is a fresh app and user, and requests without a
            // token would otherwise share one per-address budget and end as 429s instead of reaching the service.
            .UseSetting("Limits:PermitsPerUser", "100000000")
            .UseSetting("Limits:PermitsPerApp", "100000000")
            .UseSetting("Logging:LogLevel:Default", "Warning")
            .UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error")
            .UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Error")
            .ConfigureLogging(logging => logging.AddProvider(_exceptions)));
        _client = _factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Root, AllowAutoRedirect = false });
        _client.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>The seeded read-only feed that <see cref="HostileRequest.Shared"/> cases query.</summary>
    public Identities Seed { get; } = new("hostile-seed-app", "hostile-seed-user");

    /// <summary>A notification of another app, in another user's feed: no case may see, link or unlink it.</summary>
    public string ForeignId { get; private set; } = string.Empty;

    /// <summary>Real next-link tokens of the seeded feed (without and with <c>$orderby</c>), for tampering.</summary>
    public IReadOnlyList<string> SeedSkipTokens { get; private set; } = [];

    public static async Task<HostileService> StartAsync(ServiceFactoryBase root)
    {
        var service = new HostileService(root);
        await service.SeedAsync();
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _root.DisposeAsync();
    }

    /// <summary>
    /// The status a case reports when Kestrel refuses the request itself, before the service (a 400 with no body):
    /// an encoded NUL in the path. The in-process server cannot carry such a request at all.
    /// </summary>
    public const int KestrelRefused = 0;

    /// <summary>The identities one case acts with.</summary>
    public sealed record Identities(string App, string User);

    /// <summary>Sends the request and checks everything that must hold for it; returns the status.</summary>
    public async Task<int> CheckAsync(HostileRequest request)
    {
        int number = Interlocked.Increment(ref _cases);
        var ids = request.Shared ? Seed : new Identities($"hostile-{_run}-app-{number}", $"hostile-{_run}-user-{number}");
        string own = request.Setup switch
        {
            Setup.Own => await CreateAsync(ids, inFeed: false),
            Setup.OwnInFeed => await CreateAsync(ids, inFeed: true),
            _ => "no-own-notification",
        };
        var values = new Dictionary<string, string>
        {
            ["{user}"] = ids.User,
            ["{own}"] = own,
            ["{foreign}"] = ForeignId,
            ["{token}"] = TokenFor(request.As, ids) ?? "no-token",
        };

        if (Uri.TryCreate(Root, Fill(request.Url, values), out var target) && target.AbsolutePath.Contains("%00", StringComparison.Ordinal))
        {
            return KestrelRefused;
        }

        string before = await SnapshotAsync(ids);
        var (response, body) = await SendAsync(request, ids, values);
        int status = (int)response.StatusCode;
        string answer = $"{status} {Shorten(Encoding.UTF8.GetString(body), 600)}";

        string? code = CheckResponse(request, response, body, answer);
        if (status >= 500 && !(status == 501 && code == "notImplemented"))
        {
            string requestId = response.Headers.NonValidated.TryGetValues("request-id", out var ids5xx) ? ids5xx.First() : "";
            throw new XunitException($"The service answered a 5xx: {answer}\nservice-side: {_exceptions.For(requestId)}");
        }

        string after = await SnapshotAsync(ids);
        if (status >= 400 && before != after)
        {
            throw new XunitException($"A rejected request changed the store.\nanswer: {answer}\nbefore: {before}\nafter:  {after}");
        }

        if (status is >= 200 and < 300)
        {
            await ReadBackAsync(ids, answer);
        }

        return status;
    }

    private async Task<(HttpResponseMessage Response, byte[] Body)> SendAsync(HostileRequest request, Identities ids, Dictionary<string, string> values)
    {
        string url = Fill(request.Url, values);
        if (!Uri.TryCreate(Root, url, out var uri))
        {
            throw new XunitException($"The case's URL is not a URL a client could send: {url}");
        }

        using var message = new HttpRequestMessage(new HttpMethod(request.Method), uri);
        bool hasContentHeader = request.HeaderList.Any(h => h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase));
        if (request.Body is not null || hasContentHeader)
        {
            message.Content = new ByteArrayContent(Fill(request.Body ?? [], values));
        }

        bool authorizationSent = false;
        foreach (var (name, value) in request.HeaderList)
        {
            string filled = Fill(value, values);
            authorizationSent |= name.Equals("Authorization", StringComparison.OrdinalIgnoreCase);
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content!.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, filled);
            }
            else if (!message.Headers.TryAddWithoutValidation(name, filled))
            {
                throw new XunitException($"The case's header {name} cannot be sent.");
            }
        }

        if (!authorizationSent && TokenFor(request.As, ids) is { } token)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await ExchangeAsync(message, HostileRequest.Print(request));
    }

    private async Task<(HttpResponseMessage Response, byte[] Body)> ExchangeAsync(HttpRequestMessage message, string description)
    {
        using var bound = new CancellationTokenSource(RequestBound);
        try
        {
            var response = await _client.SendAsync(message, HttpCompletionOption.ResponseContentRead, bound.Token);
            return (response, await response.Content.ReadAsByteArrayAsync(bound.Token));
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            throw new XunitException($"No answer within {RequestBound.TotalSeconds:0} s (a hang): {description}");
        }
        catch (Exception ex) when (ex is not XunitException)
        {
            // The in-process server hands the client what escaped the service: on a real server, a 500 or a reset.
            throw new XunitException($"The service failed instead of answering: {ex.GetType().Name}: {ex.Message}\n{ex}");
        }
    }

    /// <summary>The checks on every answer; returns <c>error.code</c> for an error.</summary>
    private static string? CheckResponse(HostileRequest request, HttpResponseMessage response, byte[] body, string answer)
    {
        int status = (int)response.StatusCode;
        foreach (var (name, headerValues) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            foreach (string value in headerValues)
            {
                if (value.Any(c => c != '\t' && (c < 0x20 || c > 0x7E)))
                {
                    throw new XunitException($"The response header {name} holds a character Kestrel refuses to send (it would answer 500 with no body): {Shorten(value, 200)}\nanswer: {answer}");
                }
            }
        }

        string requestId = SingleHeader(response, "request-id", answer);
        string clientRequestId = SingleHeader(response, "client-request-id", answer);
        if (!Guid.TryParse(requestId, out _) || SingleHeader(response, "OData-Version", answer) != "4.0")
        {
            throw new XunitException($"The response lacks a GUID request-id or OData-Version 4.0: {answer}");
        }

        if (status < 400 || (request.Method == "HEAD" && body.Length == 0))
        {
            return null;
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            throw new XunitException($"An error that is not JSON ({response.Content.Headers.ContentType}): {answer}");
        }

        JsonObject error;
        try
        {
            error = JsonNode.Parse(body)!["error"]!.AsObject();
        }
        catch (Exception ex) when (ex is JsonException or NullReferenceException or InvalidOperationException)
        {
            throw new XunitException($"An error body that is not a Graph error ({ex.Message}): {answer}");
        }

        string code = Text(error, "code", answer);
        string expected = ExpectedCode(status);
        if (code != expected)
        {
            throw new XunitException($"error.code is '{code}' for a {status}; expected '{expected}': {answer}");
        }

        if (string.IsNullOrWhiteSpace(Text(error, "message", answer)))
        {
            throw new XunitException($"error.message is empty: {answer}");
        }

        if (error["details"] is { } details)
        {
            foreach (var detail in details.AsArray())
            {
                if (!DetailCodes.Contains(Text(detail!.AsObject(), "code", answer)) || Text(detail.AsObject(), "message", answer).Length == 0)
                {
                    throw new XunitException($"error.details[] holds an entry that is not a Graph detail: {answer}");
                }
            }
        }

        var inner = error["innerError"] as JsonObject ?? throw new XunitException($"error.innerError is missing: {answer}");
        if (Text(inner, "request-id", answer) != requestId || Text(inner, "client-request-id", answer) != clientRequestId)
        {
            throw new XunitException($"error.innerError does not carry the response's request ids ({requestId}, {clientRequestId}): {answer}");
        }

        _ = Text(inner, "date", answer);
        return code;
    }

    /// <summary>
    /// What is stored for the case: its app's notifications, the links of its app, its user and the foreign
    /// notification, and the push endpoints of its app or its user.
    /// </summary>
    private async Task<string> SnapshotAsync(Identities ids)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        using var bound = new CancellationTokenSource(RequestBound);
        var notifications = await db.Notifications.AsNoTracking()
            .Where(n => EF.Property<string>(n, StorageColumns.AppId) == ids.App)
            .Select(n => n.Id + "@" + n.Version)
            .ToListAsync(bound.Token);
        var links = await db.Links.AsNoTracking()
            .Where(l => l.AppId == ids.App || l.UserId == ids.User || l.NotificationId == ForeignId)
            .Select(l => l.UserId + "→" + l.NotificationId)
            .ToListAsync(bound.Token);
        var endpoints = await db.PushEndpoints.AsNoTracking()
            .Where(e => e.AppId == ids.App || e.UserId == ids.User)
            .Select(e => e.Id + "@" + e.Endpoint + "@" + e.Keys.Auth)
            .ToListAsync(bound.Token);
        notifications.Sort(StringComparer.Ordinal);
        links.Sort(StringComparer.Ordinal);
        endpoints.Sort(StringComparer.Ordinal);
        return $"notifications [{string.Join(", ", notifications)}] links [{string.Join(", ", links)}] push endpoints [{string.Join(", ", endpoints)}]";
    }

    /// <summary>After an accepted request: the app's notifications and the user's feed read back, as stored.</summary>
    private async Task ReadBackAsync(Identities ids, string answer)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var stored = await db.Notifications.AsNoTracking()
            .Where(n => EF.Property<string>(n, StorageColumns.AppId) == ids.App)
            .Select(n => n.Id).ToListAsync();
        var feed = await db.Links.AsNoTracking()
            .Where(l => l.AppId == ids.App && l.UserId == ids.User)
            .Select(l => l.NotificationId).ToListAsync();

        await ExpectIdsAsync(TestTokens.AppOnly(ids.App), "v1.0/notifications?$select=id", stored, answer);
        await ExpectIdsAsync(TestTokens.Delegated(ids.User, ids.App), "v1.0/me/notifications?$select=id", feed, answer);
        var endpoints = await db.PushEndpoints.AsNoTracking().Where(e => e.AppId == ids.App && e.UserId == ids.User).Select(e => e.Id).ToListAsync();
        await ExpectIdsAsync(TestTokens.Delegated(ids.User, ids.App), "v1.0/me/pushEndpoints?$select=id", endpoints, answer);
    }

    private async Task ExpectIdsAsync(string token, string url, List<string> expected, string answer)
    {
        var read = new List<string>();
        string? next = url;
        while (next is not null)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(Root, next));
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var (response, body) = await ExchangeAsync(message, $"GET {next}");
            if ((int)response.StatusCode != 200)
            {
                throw new XunitException($"After an accepted request, GET {next} answers {(int)response.StatusCode}: {Shorten(Encoding.UTF8.GetString(body), 600)}\nthe accepted request's answer: {answer}");
            }

            var page = JsonNode.Parse(body)!.AsObject();
            read.AddRange(page["value"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));
            next = page["@odata.nextLink"]?.GetValue<string>();
        }

        if (!read.Order(StringComparer.Ordinal).SequenceEqual(expected.Order(StringComparer.Ordinal)))
        {
            throw new XunitException($"GET {url} reads [{string.Join(", ", read)}] but the store holds [{string.Join(", ", expected)}]\nthe accepted request's answer: {answer}");
        }
    }

    private async Task<string> CreateAsync(Identities ids, bool inFeed)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(Root, inFeed ? "v1.0/me/notifications" : "v1.0/notifications"))
        {
            Content = Bodies.Json(Bodies.Minimal("setup")),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", inFeed ? TestTokens.Delegated(ids.User, ids.App) : TestTokens.AppOnly(ids.App));
        var (response, body) = await ExchangeAsync(message, "setup");
        if ((int)response.StatusCode != 201)
        {
            throw new XunitException($"Setup failed: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        }

        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private async Task SeedAsync()
    {
        using var foreignCreate = new HttpRequestMessage(HttpMethod.Post, new Uri(Root, "v1.0/users/hostile-foreign-user/notifications"))
        {
            Content = Bodies.Json(Bodies.Minimal("foreign")),
        };
        foreignCreate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.AppOnly("hostile-foreign-app"));
        var (foreign, foreignBody) = await ExchangeAsync(foreignCreate, "seed");
        if ((int)foreign.StatusCode != 201)
        {
            throw new XunitException($"Seeding failed: {(int)foreign.StatusCode} {Encoding.UTF8.GetString(foreignBody)}");
        }

        ForeignId = JsonNode.Parse(foreignBody)!["id"]!.GetValue<string>();

        foreach (var body in SeedBodies())
        {
            using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(Root, $"v1.0/users/{Seed.User}/notifications")) { Content = Bodies.Json(body) };
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.AppOnly(Seed.App));
            var (response, text) = await ExchangeAsync(create, "seed");
            if ((int)response.StatusCode != 201)
            {
                throw new XunitException($"Seeding failed: {(int)response.StatusCode} {Encoding.UTF8.GetString(text)} for {body.ToJsonString()}");
            }
        }

        var tokens = new List<string>();
        foreach (string query in new[] { "", "?$orderby=priority,groupName desc" })
        {
            using var page = new HttpRequestMessage(HttpMethod.Get, new Uri(Root, $"v1.0/users/{Seed.User}/notifications{query}"));
            page.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.AppOnly(Seed.App));
            page.Headers.Add("Prefer", "odata.maxpagesize=2");
            var (_, pageBody) = await ExchangeAsync(page, "seed");
            string next = JsonNode.Parse(pageBody)!["@odata.nextLink"]!.GetValue<string>();
            tokens.Add(Uri.UnescapeDataString(next[(next.IndexOf("$skiptoken=", StringComparison.Ordinal) + "$skiptoken=".Length)..]));
        }

        SeedSkipTokens = tokens;
    }

    /// <summary>The seeded feed: varied values, nulls, and text that expensive functions would chew on.</summary>
    private static IEnumerable<JsonObject> SeedBodies()
    {
        string[] hosts = ["contoso.example", new string('a', 40) + "!", "100% _wild_ 'quoted'", "ünïcødé-😀", "\\\\server\\share", "x"];
        string?[] priorities = ["None", "High", "Low", null];
        for (int i = 0; i < 12; i++)
        {
            var body = new JsonObject
            {
                ["targetHostName"] = hosts[i % hosts.Length],
                ["priority"] = priorities[i % priorities.Length],
                ["displayTimeToLive"] = i % 3 == 0 ? null : i * 1000,
                ["groupName"] = i % 2 == 0 ? null : $"group-{i % 3}",
                ["expirationDateTime"] = DateTimeOffset.UtcNow.AddDays(1 + i).ToString("O", CultureInfo.InvariantCulture),
                ["payload"] = i % 4 == 3
                    ? new JsonObject { ["rawContent"] = new string('a', 200) + "b" }
                    : new JsonObject { ["visualContent"] = new JsonObject { ["title"] = hosts[(i + 1) % hosts.Length], ["body"] = i % 2 == 0 ? null : "body" } },
                ["targetPolicy"] = i % 5 == 0 ? null : new JsonObject { ["platformTypes"] = new JsonArray("windows", "ios") },
                ["appNotificationId"] = i % 2 == 0 ? $"app-{i}" : null,
                ["attempt"] = i,
            };
            yield return body;
        }
    }

    private string? TokenFor(Principal principal, Identities ids) => principal switch
    {
        Principal.Delegated => TestTokens.Delegated(ids.User, ids.App),
        Principal.AppOnly => TestTokens.AppOnly(ids.App),
        _ => null,
    };

    private static string ExpectedCode(int status) => status switch
    {
        400 => "badRequest",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "notFound",
        405 => "methodNotAllowed",
        406 => "notAcceptable",
        409 => "conflict",
        410 => "syncStateNotFound",
        412 => "preconditionFailed",
        413 => "payloadTooLarge",
        415 => "unsupportedMediaType",
        429 => "tooManyRequests",
        501 => "notImplemented",
        503 => "serviceUnavailable",
        >= 500 => "internalServerError",
        _ => "badRequest",
    };

    private static string SingleHeader(HttpResponseMessage response, string name, string answer) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) && values.Count == 1
            ? values.First()
            : throw new XunitException($"The response does not carry one {name} header: {answer}");

    private static string Text(JsonObject json, string name, string answer) =>
        json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw new XunitException($"error.{name} is not a string: {answer}");

    private static string Fill(string text, Dictionary<string, string> values)
    {
        foreach (var (name, value) in values)
        {
            text = text.Replace(name, value, StringComparison.Ordinal);
        }

        return text;
    }

    private static byte[] Fill(byte[] bytes, Dictionary<string, string> values)
    {
        // Placeholders are ASCII, and so are the identities: replace them in the bytes, leaving every other byte as sent.
        if (!bytes.AsSpan().Contains((byte)'{'))
        {
            return bytes;
        }

        var output = new List<byte>(bytes.Length);
        for (int i = 0; i < bytes.Length;)
        {
            var match = values.FirstOrDefault(v => bytes.AsSpan(i).StartsWith(Encoding.ASCII.GetBytes(v.Key)));
            if (match.Key is not null)
            {
                output.AddRange(Encoding.UTF8.GetBytes(match.Value));
                i += match.Key.Length;
            }
            else
            {
                output.Add(bytes[i++]);
            }
        }

        return [.. output];
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + $"… ({text.Length} characters)";
}
