using System.Text;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Hostile;

/// <summary>
/// One named example of each kind of hostile input the generators produce, so that each is seen covered: every
/// example goes through the same checks as a generated case (<see cref="HostileService"/>: no 5xx, no hang, Graph
/// errors only, nothing stored when rejected), and answers the status written beside it.
/// </summary>
public sealed class HostileExamplesTests(HostileFixture fixture) : IClassFixture<HostileFixture>
{
    private const string Feed = "v1.0/me/notifications";

    private sealed record Example(HostileRequest Request, int Status, bool OnSqlite = false);

    private static HostileRequest Post(string json) => HostileRequest.Json("POST", Feed, Principal.Delegated, json);

    private static HostileRequest Post(byte[] body) => HostileRequest.Raw("POST", Feed, Principal.Delegated, body);

    private static HostileRequest Batch(string json) => HostileRequest.Json("POST", "v1.0/$batch", Principal.Delegated, json);

    private static HostileRequest Get(string url, Principal principal = Principal.Delegated) => new("GET", url, principal);

    // The live stream of the caller's feed (Accept names it).
    private static HostileRequest Stream(string query = "") => Get(Feed + "/delta" + query).WithHeader("Accept", "text/event-stream");

    private static HostileRequest Query(string url) => new("GET", url, Principal.AppOnly, Shared: true);

    /// <summary>The minimal body with one member replaced by raw JSON text.</summary>
    private static string Minimal(string member, string rawValue)
    {
        var body = JsonPiece.From(Bodies.Minimal());
        ((JObject)body).Members.RemoveAll(m => Encoding.UTF8.GetString(m.Key) == member);
        ((JObject)body).Members.Add(new JMember(Encoding.UTF8.GetBytes(member), new JRaw(rawValue)));
        return body.ToString();
    }

    private static byte[] MinimalBytes(params byte[][] insertedAsDynamicValue) =>
        [.. "{\"targetHostName\":\"h\",\"payload\":{\"rawContent\":\"r\"},\"extra\":\""u8, .. insertedAsDynamicValue.SelectMany(b => b), .. "\"}"u8];

    private static HostileRequest Mutated(JsonObject valid, MutationKind kind, string member, string value = "null", int depth = 2)
    {
        var body = (JObject)JsonPiece.From(valid);
        int position = Mutation.PositionOf(body, member);
        new Mutation(kind, position, new JRaw(value), Encoding.UTF8.GetBytes(member + "X"), depth).ApplyTo(body);
        return Post(body.ToBytes());
    }

    private static readonly Dictionary<string, Example> Examples = new()
    {
        // Invalid UTF-8 and lone surrogates.
        ["invalid UTF-8 byte in a value"] = new(Post(MinimalBytes([0xFF])), 400),
        ["overlong UTF-8 in a value"] = new(Post(MinimalBytes([0xC0, 0xAF])), 400),
        ["surrogate encoded as UTF-8 (CESU) in a value"] = new(Post(MinimalBytes([0xED, 0xA0, 0x80])), 400),
        ["truncated UTF-8 sequence in a value"] = new(Post(MinimalBytes([0xE2, 0x82])), 400),
        ["invalid UTF-8 in a key"] = new(Post([.. "{\"targetHostName\":\"h\",\"payload\":{\"rawContent\":\"r\"},\""u8, 0xC0, 0xAF, .. "\":1}"u8]), 400),
        ["escaped lone high surrogate in a value"] = new(Post(Minimal("targetHostName", "\"\\ud800\"")), 400),
        ["escaped lone low surrogate in a key"] = new(Post("{\"targetHostName\":\"h\",\"payload\":{\"rawContent\":\"r\"},\"k\\udc00\":1}"), 400),
        ["escaped surrogate pair (valid)"] = new(Post(Minimal("targetHostName", "\"\\ud83d\\ude00\"")), 201),

        // Huge numbers and NaN-like strings.
        ["1e400 as displayTimeToLive"] = new(Post(Minimal("displayTimeToLive", "1e400")), 400),
        ["99999999999999999999 as displayTimeToLive"] = new(Post(Minimal("displayTimeToLive", "99999999999999999999")), 400),
        ["-0 as displayTimeToLive (zero)"] = new(Post(Minimal("displayTimeToLive", "-0")), 201),
        ["1e400 as a dynamic property"] = new(Post(Minimal("attempt", "1e400")), 400),
        ["-1e400 as a dynamic property"] = new(Post(Minimal("attempt", "-1e400")), 400),
        ["99999999999999999999 as a dynamic property"] = new(Post(Minimal("attempt", "99999999999999999999")), 201),
        ["-0 as a dynamic property"] = new(Post(Minimal("attempt", "-0")), 201),
        ["\"NaN\" as displayTimeToLive"] = new(Post(Minimal("displayTimeToLive", "\"NaN\"")), 400),
        ["\"Infinity\" as expirationDateTime"] = new(Post(Minimal("expirationDateTime", "\"Infinity\"")), 400),
        ["bare NaN (not JSON)"] = new(Post(Minimal("displayTimeToLive", "NaN")), 400),

        // Deep nesting.
        ["payload nested 100 levels deep"] = new(Post(Minimal("payload", Mutation.Wrap(new JRaw("{}"), 100).ToString())), 400),
        ["a body of 10,000 nested arrays"] = new(Post(new string('[', 10_000) + new string(']', 10_000)), 400),
        ["an unbalanced body of 50,000 open braces"] = new(Post(new string('{', 50_000)), 400),

        // Duplicate keys.
        ["targetHostName twice"] = new(Post("{\"targetHostName\":\"a\",\"targetHostName\":\"b\",\"payload\":{\"rawContent\":\"r\"}}"), 400),
        ["title twice inside visualContent"] = new(Post("{\"targetHostName\":\"a\",\"payload\":{\"visualContent\":{\"title\":\"a\",\"title\":\"b\"}}}"), 400),
        ["@odata.type twice"] = new(Post("{\"@odata.type\":\"#microsoft.graph.notification\",\"@odata.type\":\"#microsoft.graph.user\",\"targetHostName\":\"a\",\"payload\":{\"rawContent\":\"r\"}}"), 400),

        // NUL and control characters.
        ["escaped NUL in a value"] = new(Post(Minimal("targetHostName", "\"a\\u0000b\"")), 201),
        ["raw control character in a value (not JSON)"] = new(Post(Minimal("targetHostName", "\"a\u0001b\"")), 400),
        ["escaped NUL in a key"] = new(Post("{\"targetHostName\":\"a\",\"payload\":{\"rawContent\":\"r\"},\"a\\u0000b\":1}"), 400),
        ["raw NUL byte in a key (not JSON)"] = new(Post([.. "{\"targetHostName\":\"h\",\"payload\":{\"rawContent\":\"r\"},\""u8, 0x00, .. "\":1}"u8]), 400),

        // Very long keys and values.
        ["a key of 10,000 characters"] = new(Post(Minimal(new string('k', 10_000), "1")), 400),
        ["rawContent of 32,769 characters"] = new(Post("{\"targetHostName\":\"a\",\"payload\":{\"rawContent\":\"" + new string('r', 32_769) + "\"}}"), 400),
        ["a title of 60,000 characters"] = new(Post("{\"targetHostName\":\"a\",\"payload\":{\"visualContent\":{\"title\":\"" + new string('t', 60_000) + "\"}}}"), 400),
        ["a body of 70,000 characters"] = new(Post("{\"targetHostName\":\"a\",\"payload\":{\"rawContent\":\"" + new string('r', 70_000) + "\"}}"), 413),

        // @odata.type and @odata.id pointing anywhere.
        ["@odata.type of another type"] = new(Post(Minimal("@odata.type", "\"#microsoft.graph.user\"")), 400),
        ["@odata.type of the abstract base type"] = new(Post(Minimal("@odata.type", "\"#microsoft.graph.entity\"")), 400),
        ["@odata.type on another host"] = new(Post(Minimal("@odata.type", "\"http://evil.example/v1.0/$metadata#microsoft.graph.notification\"")), 400),
        ["@odata.type as a relative path with .."] = new(Post(Minimal("@odata.type", "\"../../$metadata#microsoft.graph.notification\"")), 400),
        ["@odata.type of a CLR type"] = new(Post(Minimal("@odata.type", "\"#System.IO.FileInfo, System.IO\"")), 400),
        ["@odata.type that is not a string"] = new(Post(Minimal("@odata.type", "{}")), 400),
        ["@odata.id in a create body (an annotation: not honored)"] = new(Post(Minimal("@odata.id", "\"http://evil.example/v1.0/notifications('x')\"")), 201),
        ["$ref to a notification on another host"] = new(HostileRequest.Json("POST", "v1.0/users/{user}/notifications/$ref", Principal.AppOnly, "{\"@odata.id\":\"http://evil.example/v1.0/notifications('{own}')\"}", Setup.Own), 400),
        ["$ref by a relative path with .."] = new(HostileRequest.Json("POST", "v1.0/users/{user}/notifications/$ref", Principal.AppOnly, "{\"@odata.id\":\"../../notifications('{own}')\"}", Setup.Own), 400),
        ["$ref to another app's notification"] = new(HostileRequest.Json("POST", "v1.0/users/{user}/notifications/$ref", Principal.AppOnly, "{\"@odata.id\":\"notifications('{foreign}')\"}"), 404),
        ["$ref to a user, not a notification"] = new(HostileRequest.Json("POST", "v1.0/users/{user}/notifications/$ref", Principal.AppOnly, "{\"@odata.id\":\"users('{user}')\"}"), 400),
        ["$ref to a file: URL"] = new(HostileRequest.Json("POST", "v1.0/users/{user}/notifications/$ref", Principal.AppOnly, "{\"@odata.id\":\"file:///etc/passwd\"}"), 400),
        ["$ref by its own relative URL (valid)"] = new(HostileRequest.Json("POST", "v1.0/users/{user}/notifications/$ref", Principal.AppOnly, "{\"@odata.id\":\"notifications('{own}')\"}", Setup.Own), 204),

        // Mutations of the valid examples.
        ["the seed without targetHostName"] = new(Mutated(Bodies.CorrectedSeed(), MutationKind.Delete, "targetHostName"), 400),
        ["the seed with priority a number"] = new(Mutated(Bodies.CorrectedSeed(), MutationKind.Replace, "priority", "1"), 400),
        ["the seed with payload flipped to an array"] = new(Mutated(Bodies.CorrectedSeed(), MutationKind.FlipType, "payload"), 400),
        ["the seed with targetPolicy twice"] = new(Mutated(Bodies.CorrectedSeed(), MutationKind.Duplicate, "targetPolicy"), 400),
        ["the seed with groupName renamed"] = new(Mutated(Bodies.CorrectedSeed(), MutationKind.RenameKey, "groupName"), 201),
        ["the minimal body with payload nested 40 deep"] = new(Mutated(Bodies.Minimal(), MutationKind.Nest, "payload", depth: 40), 400),

        // Keys with percent-encoding tricks.
        ["key ..%2F.."] = new(Get("v1.0/me/notifications('..%2F..')"), 404),
        ["key %00 (Kestrel refuses it)"] = new(Get("v1.0/me/notifications('%00')"), HostileService.KestrelRefused),
        ["key with a doubled quote a''b"] = new(Get("v1.0/me/notifications('a''b')"), 404),
        ["key with an unescaped quote a'b"] = new(Get("v1.0/me/notifications('a'b')"), 404),
        ["double-encoded key %252F"] = new(Get("v1.0/me/notifications('%252F')"), 404),
        ["key of 5,000 characters"] = new(Get("v1.0/me/notifications('" + new string('k', 5000) + "')"), 404),
        ["a parameter alias in place of a key, without a token"] = new(Get("v1.0/users/@u/notifications", Principal.Anonymous), 400),
        ["a parameter alias given in the query string"] = new(Get("v1.0/me/notifications/@p1?@p1='x'"), 404),
        ["key of another app's notification"] = new(Get("v1.0/notifications('{foreign}')", Principal.AppOnly), 404),
        ["dismissing by key ..%2F.."] = new(new HostileRequest("DELETE", "v1.0/me/notifications('..%2F..')/$ref", Principal.Delegated), 404),
        ["dismissing by an $id on another host"] = new(new HostileRequest("DELETE", "v1.0/me/notifications/$ref?$id=" + Uri.EscapeDataString("http://evil.example/v1.0/notifications('{own}')"), Principal.Delegated, Setup: Setup.OwnInFeed), 400),

        // Odd path segments and verbs.
        ["$value of a feed"] = new(Get("v1.0/me/notifications/$value"), 404),
        ["$batch without a body"] = new(new HostileRequest("POST", "v1.0/$batch", Principal.Delegated), 415),
        ["$batch with a dependency cycle"] = new(Batch("""{"requests":[{"id":"a","method":"GET","url":"me","dependsOn":["b"]},{"id":"b","method":"GET","url":"me","dependsOn":["a"]}]}"""), 400),
        ["$batch nested 100 levels deep"] = new(Batch("""{"requests":[{"id":"a","method":"POST","url":"me/notifications","headers":{"Content-Type":"application/json"},"body":""" + new string('[', 100) + new string(']', 100) + "}]}"), 400),
        ["an empty segment"] = new(Get("v1.0//me/notifications"), 404),
        ["encoded dot segments (resolved before routing, as Kestrel does)"] = new(Get("v1.0/me/notifications/%2e%2e/%2e%2e/$metadata"), 200),
        ["an unknown version"] = new(Get("v2/me/notifications"), 404),
        ["PUT on a feed"] = new(new HostileRequest("PUT", Feed, Principal.Delegated), 405),
        ["an unknown verb"] = new(new HostileRequest("FOO", Feed, Principal.Delegated), 405),

        // Headers.
        ["Content-Type text/plain"] = new(new HostileRequest("POST", Feed, Principal.Delegated, HostileGen.Utf8(Bodies.Minimal()), [new("Content-Type", "text/plain")]), 415),
        ["Content-Type with an unknown charset"] = new(Post(HostileGen.Utf8(Bodies.Minimal())).WithHeader("Content-Type", "application/json; charset=nope"), 415),
        ["Content-Encoding br"] = new(Post(HostileGen.Utf8(Bodies.Minimal())).WithHeader("Content-Encoding", "br"), 415),
        ["Content-Encoding gzip on a plain body"] = new(Post(HostileGen.Utf8(Bodies.Minimal())).WithHeader("Content-Encoding", "gzip"), 400),
        ["Accept application/xml on a create"] = new(Post(HostileGen.Utf8(Bodies.Minimal())).WithHeader("Accept", "application/xml"), 406),
        ["Prefer that does not parse, on a create"] = new(Post(HostileGen.Utf8(Bodies.Minimal())).WithHeader("Prefer", ",,,"), 400),
        ["Prefer return=minimal on a create"] = new(Post(HostileGen.Utf8(Bodies.Minimal())).WithHeader("Prefer", "return=minimal"), 204),
        ["If-Match garbage on a create"] = new(Post(HostileGen.Utf8(Bodies.Minimal())).WithHeader("If-Match", "garbage"), 201),
        ["client-request-id with a control character"] = new(Get(Feed).WithHeader("client-request-id", "a\u0001b"), 200),
        ["client-request-id of 10 KB"] = new(Get(Feed).WithHeader("client-request-id", new string('x', 10 * 1024)), 200),
        ["Host with a port past 65535"] = new(Get(Feed).WithHeader("Host", "localhost:99999"), 400),
        ["a token with alg none"] = new(Get(Feed, Principal.Anonymous).WithHeader("Authorization", HostileGen.BadAuthorizations[10]), 401),
        ["an expired token"] = new(Get(Feed, Principal.Anonymous).WithHeader("Authorization", HostileGen.BadAuthorizations[12]), 401),

        // The live stream's headers: each of these either is no stream, or a stream that ends by itself (an error event).
        ["Last-Event-ID of garbage on the stream"] = new(Stream().WithHeader("Last-Event-ID", "garbage"), 200),
        ["Last-Event-ID of 10 KB on the stream"] = new(Stream().WithHeader("Last-Event-ID", new string('x', 10 * 1024)), 200),
        ["Last-Event-ID with a control character on the stream"] = new(Stream().WithHeader("Last-Event-ID", "a\u0001b"), 200),
        ["Last-Event-ID of a skip token's shape on the stream"] = new(Stream().WithHeader("Last-Event-ID", "CfDJ8" + new string('A', 200)), 200),
        ["$deltatoken of garbage on the stream"] = new(Get(Feed + "/delta?$deltatoken=garbage").WithHeader("Accept", "text/event-stream"), 200),
        ["the stream with $top"] = new(Stream("?$top=1"), 400),
        ["the stream with $select of an annotation"] = new(Stream("?$select=@odata.id"), 400),
        ["Accept text/* on delta (no stream)"] = new(Get(Feed + "/delta").WithHeader("Accept", "text/*"), 406),
        ["Accept text/event-stream;q=0 on delta (no stream)"] = new(Get(Feed + "/delta").WithHeader("Accept", "text/event-stream;q=0, application/json"), 200),
        ["Accept text/event-stream with $format=json (a delta page)"] = new(Get(Feed + "/delta?$format=json").WithHeader("Accept", "text/event-stream"), 200),
        ["Accept text/event-stream on a feed, not delta"] = new(Get(Feed).WithHeader("Accept", "text/event-stream"), 406),
        ["a stream inside a $batch"] = new(Batch("""{"requests":[{"id":"a","method":"GET","url":"me/notifications/delta","headers":{"Accept":"text/event-stream"}}]}"""), 200),

        // Query strings built to be expensive, and garbage options.
        ["2,000 nested parentheses"] = new(Query("v1.0/users/{user}/notifications?$filter=" + new string('(', 2000) + "true" + new string(')', 2000)), 400, OnSqlite: true),
        ["an or-chain of 2,000 terms"] = new(Query("v1.0/users/{user}/notifications?$filter=" + string.Join("%20or%20", Enumerable.Range(0, 2000).Select(i => $"groupName%20eq%20'g{i}'"))), 400, OnSqlite: true),
        ["lambdas nested 10 deep"] = new(Query("v1.0/users/{user}/notifications?$filter=" + Uri.EscapeDataString(string.Concat(Enumerable.Range(0, 10).Select(i => $"targetPolicy/platformTypes/any(p{i}: ")) + "p0 eq 'x'" + new string(')', 10))), 400, OnSqlite: true),
        ["a string literal of 30,000 characters"] = new(Query("v1.0/users/{user}/notifications?$filter=" + Uri.EscapeDataString($"contains(targetHostName,'{new string('a', 30_000)}')")), 200, OnSqlite: true),
        ["matchesPattern with a catastrophic pattern"] = new(Query("v1.0/users/{user}/notifications?$filter=" + Uri.EscapeDataString("matchesPattern(targetHostName,'^(a+)+$')")), 400, OnSqlite: true),
        ["$orderby on an expression"] = new(Query("v1.0/users/{user}/notifications?$orderby=length(targetHostName)"), 400, OnSqlite: true),
        ["$orderby of six terms"] = new(Query("v1.0/users/{user}/notifications?$orderby=id,id,id,id,id,id"), 400, OnSqlite: true),
        ["$top of 20 digits"] = new(Query("v1.0/users/{user}/notifications?$top=99999999999999999999"), 400, OnSqlite: true),
        ["$skip of -1"] = new(Query("v1.0/users/{user}/notifications?$skip=-1"), 400, OnSqlite: true),
        ["$select of an annotation"] = new(Query("v1.0/users/{user}/notifications?$select=@odata.id"), 400, OnSqlite: true),
        ["$expand with $levels=max"] = new(Query("v1.0/users/{user}?$expand=notifications($levels=max)"), 400, OnSqlite: true),
        ["an unknown $ option"] = new(Query("v1.0/users/{user}/notifications?$foo=1"), 400, OnSqlite: true),
        ["$search"] = new(Query("v1.0/users/{user}/notifications?$search=x"), 501, OnSqlite: true),
        ["$filter given twice"] = new(Query("v1.0/users/{user}/notifications?$filter=true&$filter=false"), 400, OnSqlite: true),
        ["$filter and filter"] = new(Query("v1.0/users/{user}/notifications?$filter=true&filter=false"), 400, OnSqlite: true),
        ["a $skiptoken rewritten by the client"] = new(Query("v1.0/users/{user}/notifications?$skiptoken={tamper:RemainingTop=-1}"), 400, OnSqlite: true),
        ["a $skiptoken of garbage"] = new(Query("v1.0/users/{user}/notifications?$skiptoken=garbage"), 400, OnSqlite: true),
        ["a filter on a dynamic property"] = new(Query("v1.0/users/{user}/notifications?$filter=appNotificationId%20eq%20'app-2'"), 200, OnSqlite: true),
        ["a dynamic filter's value shaped as a JSON path"] = new(Query("v1.0/users/{user}/notifications?$filter=" + Uri.EscapeDataString("appNotificationId eq '$.appNotificationId' or startswith(appNotificationId,'$[\"a\"]') or attempt eq '\\'")), 200, OnSqlite: true),
        ["a dynamic filter's value shaped as SQL"] = new(Query("v1.0/users/{user}/notifications?$filter=" + Uri.EscapeDataString("appNotificationId eq ''') OR 1=1 --' or contains(appNotificationId,'%') or endswith(appNotificationId,'_')")), 200, OnSqlite: true),
        ["a dynamic filter on the store's own column names"] = new(Query("v1.0/users/{user}/notifications?$filter=" + Uri.EscapeDataString("DynamicProperties eq null and TenantId ne 'x' and AppId eq null and Version eq null")), 200, OnSqlite: true),
        ["a dynamic filter with a literal of 30,000 characters"] = new(Query("v1.0/users/{user}/notifications?$filter=" + Uri.EscapeDataString($"contains(appNotificationId,'{new string('a', 30_000)}')")), 200, OnSqlite: true),
        ["a dynamic property compared with another"] = new(Query("v1.0/users/{user}/notifications?$filter=" + Uri.EscapeDataString("appNotificationId eq attempt")), 501, OnSqlite: true),
        ["a path into a dynamic property"] = new(Query("v1.0/users/{user}/notifications?$filter=" + Uri.EscapeDataString("appNotificationId/length eq 1")), 501, OnSqlite: true),
    };

    public static TheoryData<string> Names => [.. Examples.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Each_kind_of_hostile_input_gets_a_Graph_answer_and_changes_nothing_it_should_not(string name)
    {
        var example = Examples[name];
        var service = example.OnSqlite ? fixture.Sqlite : fixture.InMemory;

        int status = await service.CheckAsync(HostileGen.WithSkipTokens(example.Request, service.SeedSkipTokens));

        Assert.Equal(example.Status, status);
    }
}
