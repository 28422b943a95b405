using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using GraphNotifications.Tests.Infrastructure;

namespace GraphNotifications.Tests.Hostile;

/// <summary>
/// Generators of hostile requests. Values come in families (huge numbers, control characters, lone surrogates,
/// invalid UTF-8, long text, deep nesting, type and id annotations pointing anywhere, hostile keys), and bodies are
/// either the valid examples mutated (a member deleted, replaced, duplicated, renamed or flipped to another type) or
/// JSON written from scratch, sometimes corrupted byte by byte afterwards.
/// </summary>
public static class HostileGen
{
    // ---------------------------------------------------------------- values

    /// <summary>Numbers no Int32, Int64, double or decimal holds, negative zero, and their neighbours.</summary>
    public static readonly string[] HugeNumbers =
    [
        "1e400", "-1e400", "1E+400", "1e-400", "99999999999999999999", "-99999999999999999999", "-0", "-0.0", "0e0",
        "2147483648", "-2147483649", "9223372036854775808", "-9223372036854775809", "79228162514264337593543950336",
        "1.7976931348623157e309", "4.9e-325", "0.1", "1.0", "1e2", "123456789012345678901234567890.123456789",
        "0.00000000000000000000000000000000000000000000001",
    ];

    /// <summary>Strings that look like numbers a parser might accept, and bare literals JSON does not have.</summary>
    public static readonly string[] NumberLikes =
    [
        "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"-0\"", "\"+1\"", "\"1e400\"", "\"0x1F\"", "\"1_000\"", "\"\u0661\u0662\"", "\"  42  \"",
        "NaN", "Infinity", "-Infinity", "+1", "0x10", ".5", "01", "1.", "-", "1e", "tru", "nul", "undefined", "None", "True",
    ];

    /// <summary>String contents (between the quotes) with control characters, escaped and raw.</summary>
    public static readonly byte[][] ControlContents =
    [
        "\\u0000"u8.ToArray(), "a\\u0000b"u8.ToArray(), "\\u0001\\u001f"u8.ToArray(), "\\u007f"u8.ToArray(), "\\u0085"u8.ToArray(),
        "\\u2028\\u2029"u8.ToArray(), "\\ufeff"u8.ToArray(), "\\uffff\\ufffe"u8.ToArray(), "\\b\\f\\n\\r\\t"u8.ToArray(),
        "\\u202e"u8.ToArray(), [0x00], [0x01], [0x1F], [0x0A], [0x0D, 0x0A], [0x09], [0x7F], [(byte)'a', 0x00, (byte)'b'],
    ];

    /// <summary>Lone surrogates, as JSON escapes (valid JSON text, invalid UTF-16 once unescaped).</summary>
    public static readonly string[] SurrogateEscapes =
    [
        "\\ud800", "\\udbff", "\\udc00", "\\udfff", "x\\ud800y", "\\ud800\\ud800", "\\udc00\\ud800", "\\ud83d", "\\uD800",
        "\\ud800\\u0041", "\\ud83d\\ude00",
    ];

    /// <summary>Byte sequences that are not UTF-8: encoded surrogates, overlong forms, truncations, stray bytes.</summary>
    public static readonly byte[][] InvalidUtf8 =
    [
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xFF], [0xFE],
        [0x80], [0xBF], [0xC2], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC3, 0x28],
    ];

    /// <summary>Values for <c>@odata.type</c>: other types, other hosts, garbage, relative paths, non-strings.</summary>
    public static readonly string[] TypeAnnotations =
    [
        "\"#microsoft.graph.notification\"", "\"#microsoft.graph.user\"", "\"#microsoft.graph.entity\"", "\"#microsoft.graph.payloadTypes\"",
        "\"#microsoft.graph.visualProperties\"", "\"#microsoft.graph.targetPolicyEndpoints\"", "\"#microsoft.graph.priority\"",
        "\"#graph.notification\"", "\"graph.payloadTypes\"", "\"#Edm.String\"", "\"#Edm.Untyped\"", "\"#Collection(microsoft.graph.notification)\"",
        "\"http://evil.example/v1.0/$metadata#microsoft.graph.notification\"", "\"http://localhost/v1.0/$metadata#microsoft.graph.notification\"",
        "\"../../$metadata#microsoft.graph.notification\"", "\"$metadata#notifications/$entity\"", "\"#\"", "\"\"", "\"#microsoft.graph.notification#x\"",
        "\"#MICROSOFT.GRAPH.NOTIFICATION\"", "\"#microsoft.graph.\"", "\"#.\"", "\"#microsoft.graph.notification\\u0000\"",
        "\"#System.Object\"", "\"#System.IO.FileInfo, System.IO\"", "1", "{}", "[]", "null", "true",
    ];

    /// <summary>Values for <c>@odata.id</c> (and the <c>$id</c> of a DELETE): own, other hosts, escapes, garbage.</summary>
    public static readonly string[] References =
    [
        "notifications('{own}')", "notifications/{own}", "notifications({own})", "notifications(id='{own}')", "http://localhost/v1.0/notifications('{own}')",
        "http://localhost/beta/notifications('{own}')", "https://localhost/v1.0/notifications('{own}')", "http://evil.example/v1.0/notifications('{own}')",
        "http://localhost:81/v1.0/notifications('{own}')", "//localhost/v1.0/notifications('{own}')", "/v1.0/notifications('{own}')",
        "../notifications('{own}')", "./notifications('{own}')", "../../../../etc/passwd", "http://localhost/v1.0/../beta/notifications('{own}')",
        "http://user:pw@localhost/v1.0/notifications('{own}')", "HTTP://LOCALHOST/V1.0/NOTIFICATIONS('{own}')", "users('{user}')/notifications('{own}')",
        "me/notifications('{own}')", "notifications('{foreign}')", "users('hostile-foreign-user')/notifications('{foreign}')",
        "notifications('..%2F..')", "notifications('%00')", "notifications('a''b')", "notifications('a'b')", "notifications(%27{own}%27)",
        "notifications('%2527')", "notifications('%252F')", "notifications('{own}')/$ref", "notifications('{own}')/payload",
        "notifications('{own}')?$filter=true", "notifications('{own}')#x", "notifications", "users('{user}')", "$metadata#notifications",
        "notifications('')", "notifications()", "notifications(", "notifications('", "notifications(''')", "notifications(1)", "notifications(1.5e999)",
        "notifications(null)", "notifications(guid'{own}')", "javascript:alert(1)", "file:///etc/passwd", "urn:x", "mailto:a@b", "data:,x",
        "http://[::1]/v1.0/notifications('{own}')", "http://localhost:99999/v1.0/notifications('{own}')", "http://local host/v1.0/",
        "\\\\localhost\\v1.0\\notifications('{own}')", "notifications('\u0000')", "notifications('\u202e')", "notifications('\ud83d\ude00')",
        "", " ", "%", "%%", "?", "#", "\u0000",
    ];

    /// <summary>Keys (between the quotes, escapes as written): annotations, near-misses, control characters, invalid text.</summary>
    public static readonly byte[][] HostileKeys =
    [
        ""u8.ToArray(), "@odata.type"u8.ToArray(), "@odata.id"u8.ToArray(), "@odata.context"u8.ToArray(), "@odata.etag"u8.ToArray(),
        "@odata.nextLink"u8.ToArray(), "odata.type"u8.ToArray(), "@"u8.ToArray(), "title@odata.type"u8.ToArray(),
        "targetHostName@odata.type"u8.ToArray(), "payload@odata.bind"u8.ToArray(), "id"u8.ToArray(), "Id"u8.ToArray(), "ID"u8.ToArray(),
        "__proto__"u8.ToArray(), "constructor"u8.ToArray(), "$ref"u8.ToArray(), "$type"u8.ToArray(), "\\u0000"u8.ToArray(),
        "a\\u0000b"u8.ToArray(), "\\ud800"u8.ToArray(), "targetHostName\\u0000"u8.ToArray(), "appNotificationId"u8.ToArray(),
        "a.b"u8.ToArray(), "a/b"u8.ToArray(), "a b"u8.ToArray(), "\\u00e9"u8.ToArray(), "\\u202e"u8.ToArray(), "createdAt"u8.ToArray(),
        "version"u8.ToArray(), "CreatedAt"u8.ToArray(), "DynamicProperties"u8.ToArray(), "notifications"u8.ToArray(),
        "payload/visualContent/title"u8.ToArray(), [0x00], [0x01], [0x0A], [0xFF], [0xED, 0xA0, 0x80],
    ];

    /// <summary>The names the contract declares, as keys.</summary>
    public static readonly string[] DeclaredNames =
    [
        "targetHostName", "expirationDateTime", "payload", "rawContent", "visualContent", "title", "body", "displayTimeToLive",
        "priority", "groupName", "targetPolicy", "platformTypes", "id", "@odata.type", "appNotificationId",
        "readState", "userActionState", "snoozedUntilDateTime", "createdDateTime",
    ];

    private static readonly int[] LongLengths = [129, 255, 256, 1024, 1025, 4096, 4097, 32768, 32769, 70000];
    private static readonly string[] LongUnits = ["a", "\\u00e9", "é", "😀", "\\u0000", "%", "'", "\\\"", "\\ud800"];
    private static readonly int[] Depths = [31, 32, 33, 64, 100, 101, 500, 1000, 5000, 20000];

    public static readonly Gen<JsonPiece> HugeNumber = Gen.OneOf(HugeNumbers).Select(n => (JsonPiece)new JRaw(n));

    public static readonly Gen<JsonPiece> NumberLike = Gen.OneOf(NumberLikes).Select(n => (JsonPiece)new JRaw(n));

    public static readonly Gen<JsonPiece> ControlString =
        Gen.Frequency(
            (3, Gen.OneOf(ControlContents)),
            (1, Gen.Char[(char)0, (char)0x1F].Array[1, 8].Select(chars => Encoding.UTF8.GetBytes(string.Concat(chars.Select(c => $"\\u{(int)c:x4}"))))))
        .Select(content => (JsonPiece)JsonText.RawString(content));

    public static readonly Gen<JsonPiece> LoneSurrogate = Gen.OneOf(SurrogateEscapes).Select(s => (JsonPiece)JsonText.RawString(s));

    /// <summary>Invalid UTF-8 inside a string, or bare where a value belongs.</summary>
    public static readonly Gen<JsonPiece> InvalidText =
        Gen.Select(Gen.OneOf(InvalidUtf8), Gen.Bool)
        .Select(t => (JsonPiece)(t.Item2 ? JsonText.RawString([(byte)'x', .. t.Item1, (byte)'y']) : new JRaw(t.Item1)));

    public static readonly Gen<JsonPiece> LongString =
        Gen.Select(Gen.OneOf(LongLengths), Gen.OneOf(LongUnits))
        .Select(t => (JsonPiece)JsonText.RawString(Repeat(t.Item2, t.Item1)));

    public static readonly Gen<JsonPiece> DeepNesting =
        Gen.Select(Gen.OneOf(Depths), Gen.Int[0, 3])
        .Select(t => t.Item2 switch
        {
            0 => (JsonPiece)new JRaw(new string('[', t.Item1) + "1" + new string(']', t.Item1)),
            1 => new JRaw(string.Concat(Enumerable.Repeat("{\"a\":", t.Item1)) + "1" + new string('}', t.Item1)),
            2 => Mutation.Wrap(new JRaw("\"x\""), t.Item1),
            _ => new JRaw(new string('[', t.Item1)),
        });

    public static readonly Gen<JsonPiece> TypeAnnotated =
        Gen.Select(Gen.OneOf(TypeAnnotations), Gen.OneOf("{}", "{\"title\":\"t\"}", "{\"rawContent\":\"r\"}", "{\"platformTypes\":[]}"))
        .Select(t => (JsonPiece)new JRaw($"{{\"@odata.type\":{t.Item1},{t.Item2[1..]}".Replace(",}", "}", StringComparison.Ordinal)));

    public static readonly Gen<JsonPiece> ReferenceValue = Gen.OneOf(References).Select(r => (JsonPiece)JsonText.String(r));

    /// <summary>Any string, every character that is not printable ASCII escaped (lone surrogates included).</summary>
    public static readonly Gen<JsonPiece> AnyString =
        Gen.String[Gen.Char, 0, 24].Select(s => (JsonPiece)JsonText.RawString(Escape(s)));

    /// <summary>Values a valid notification holds somewhere: what a flipped or moved member may land on.</summary>
    public static readonly Gen<JsonPiece> PlausibleValue = Gen.OneOf<JsonPiece>(
        JsonText.String("contoso.example"), JsonText.String("High"), JsonText.String("high"), JsonText.String("Ultra"),
        JsonText.String(DateTimeOffset.UtcNow.AddDays(3).ToString("O", CultureInfo.InvariantCulture)), JsonText.String("2017-01-01T00:01:09.280378+03:00"),
        JsonText.String("9999-12-31T23:59:59-14:00"), JsonText.String("0001-01-01T00:00:00+14:00"), JsonText.String("2030-02-30T00:00:00Z"),
        JsonText.String("-0001-01-01T00:00:00Z"), JsonText.String("2030-01-01T00:00:00.1234567890123Z"), JsonText.String("2030-01-01T24:00:00Z"),
        new JRaw("0"), new JRaw("-1"), new JRaw("1"), new JRaw("2147483647"), new JRaw("true"), new JRaw("false"), JRaw.Null,
        new JRaw("{}"), new JRaw("[]"), new JRaw("[null]"), new JRaw("[\"windows\",\"ios\"]"), new JRaw("{\"title\":\"t\"}"),
        new JRaw("{\"visualContent\":{\"title\":\"t\"}}"), new JRaw("{\"rawContent\":\"r\"}"), JsonText.String(""), JsonText.String("   "));

    public static readonly Gen<JsonPiece> HostileValue = Gen.Frequency(
        (3, HugeNumber), (2, NumberLike), (3, ControlString), (3, LoneSurrogate), (3, InvalidText), (2, LongString),
        (2, DeepNesting), (2, TypeAnnotated), (1, ReferenceValue), (2, AnyString), (4, PlausibleValue));

    public static readonly Gen<byte[]> HostileKey = Gen.Frequency(
        (4, Gen.OneOf(HostileKeys)),
        (2, Gen.OneOf(DeclaredNames).Select(JsonText.Key)),
        (1, Gen.Select(Gen.OneOf(LongLengths), Gen.OneOf("k", "\\u0000", "é")).Select(t => Repeat(t.Item2, Math.Min(t.Item1, 40000)))),
        (1, Gen.String[Gen.Char, 1, 12].Select(s => Escape(s))));

    // ---------------------------------------------------------------- bodies

    public static readonly Gen<Mutation> AnyMutation =
        Gen.Select(Gen.Enum<MutationKind>(), Gen.Int[0, 10_000], HostileValue, HostileKey, Gen.Int[1, 150])
        .Select(t => new Mutation(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5));

    /// <summary>The valid examples (the corrected seed, the minimal body), each changed by one to four mutations.</summary>
    public static readonly Gen<byte[]> MutatedBody =
        Gen.Select(Gen.Bool, AnyMutation.Array[1, 4]).Select(t => Mutate(t.Item1 ? Bodies.CorrectedSeed() : Bodies.Minimal(), t.Item2));

    private static readonly Gen<JsonPiece> ScratchLeaf = Gen.Frequency((3, PlausibleValue), (2, HostileValue),
        (1, Gen.Int.Select(i => (JsonPiece)new JRaw(i.ToString(CultureInfo.InvariantCulture)))),
        (1, Gen.Double.Select(d => (JsonPiece)new JRaw(double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e999"))));

    private static readonly Gen<byte[]> ScratchKey = Gen.Frequency(
        (6, Gen.OneOf(DeclaredNames).Select(JsonText.Key)), (2, HostileKey), (1, Gen.String.AlphaNumeric.Select(JsonText.Key)));

    private static readonly Gen<JsonPiece> ScratchValue = Gen.Recursive<JsonPiece>((depth, self) => depth >= 4
        ? ScratchLeaf
        : Gen.Frequency(
            (4, ScratchLeaf),
            (2, Gen.Select(ScratchKey, self).Array[0, 6].Select(members => (JsonPiece)new JObject([.. members.Select(m => new JMember(m.Item1, m.Item2))]))),
            (1, self.Array[0, 4].Select(items => (JsonPiece)new JArray([.. items])))));

    /// <summary>Objects written from scratch: the contract's names and hostile ones, any values, a few levels deep.</summary>
    public static readonly Gen<byte[]> ScratchBody =
        Gen.Select(ScratchKey, ScratchValue).Array[0, 10].Select(members => new JObject([.. members.Select(m => new JMember(m.Item1, m.Item2))]).ToBytes());

    /// <summary>Whole bodies that are not one JSON object: empty, other values, broken syntax, other encodings, deep roots.</summary>
    public static readonly Gen<byte[]> SpecialBody = Gen.OneOf<byte[]>(
        [], " \r\n\t "u8.ToArray(), "null"u8.ToArray(), "[]"u8.ToArray(), "\"x\""u8.ToArray(), "1"u8.ToArray(), "{}"u8.ToArray(), "{"u8.ToArray(),
        "}"u8.ToArray(), "{\"a\":1}{\"b\":2}"u8.ToArray(), "{\"targetHostName\":\"x\",}"u8.ToArray(), "{'targetHostName':'x'}"u8.ToArray(),
        "{targetHostName:\"x\"}"u8.ToArray(), "/*c*/{}"u8.ToArray(), "{}//c"u8.ToArray(), [0xEF, 0xBB, 0xBF, .. Utf8(Bodies.Minimal())],
        [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. Utf8(Bodies.Minimal())], [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Bodies.Minimal().ToJsonString())],
        Encoding.BigEndianUnicode.GetBytes(Bodies.Minimal().ToJsonString()), Encoding.UTF32.GetBytes(Bodies.Minimal().ToJsonString()),
        Encoding.ASCII.GetBytes(new string('[', 100_000)), Encoding.ASCII.GetBytes(new string('{', 50_000)), Encoding.ASCII.GetBytes(new string(' ', 70_000) + "{}"),
        [0x00], [.. Utf8(Bodies.Minimal()), 0x00], Utf8(Bodies.Minimal())[..20], "[{\"targetHostName\":\"x\"}]"u8.ToArray(),
        Encoding.ASCII.GetBytes("{\"targetHostName\":\"" + new string('x', 70_000) + "\"}"));

    /// <summary>A byte-level fault of an otherwise generated body.</summary>
    public static readonly Gen<Func<byte[], byte[]>> ByteFault = Gen.Frequency(
        (30, Gen.Const<Func<byte[], byte[]>>(b => b)),
        (1, Gen.Int[0, 10_000].Select<int, Func<byte[], byte[]>>(p => b => b.Length == 0 ? b : b[..(p % b.Length)])),
        (1, Gen.Select(Gen.Int[0, 10_000], Gen.OneOf(InvalidUtf8)).Select<(int, byte[]), Func<byte[], byte[]>>(t => b => [.. b[..(t.Item1 % (b.Length + 1))], .. t.Item2, .. b[(t.Item1 % (b.Length + 1))..]])),
        (1, Gen.Select(Gen.Int[0, 10_000], Gen.Byte[0, 0x1F]).Select<(int, byte), Func<byte[], byte[]>>(t => b => [.. b[..(t.Item1 % (b.Length + 1))], t.Item2, .. b[(t.Item1 % (b.Length + 1))..]])),
        (1, Gen.Const<Func<byte[], byte[]>>(b => [0xEF, 0xBB, 0xBF, .. b])),
        (1, Gen.Const<Func<byte[], byte[]>>(b => Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(b)))),
        (1, Gen.Const<Func<byte[], byte[]>>(b => [.. b, .. "garbage"u8])));

    /// <summary>A notification body: mostly mutated examples, then scratch objects, then whole-body specials; sometimes faulted.</summary>
    public static readonly Gen<byte[]> Body =
        Gen.Select(Gen.Frequency((6, MutatedBody), (3, ScratchBody), (1, SpecialBody)), ByteFault).Select(t => t.Item2(t.Item1));

    // ---------------------------------------------------------------- headers

    public static readonly string[] ContentTypes =
    [
        "application/json; charset=utf-8", "application/json; charset=utf-16", "application/json; charset=latin1", "application/json; charset=nope",
        "application/json; charset=\"utf-8\"", "application/json; charset", "application/json;;;", "application/json;odata.metadata=full",
        "application/json;odata.metadata=none;odata.streaming=true", "application/json; IEEE754Compatible=true", "application/json;odata.metadata=garbage",
        "application/merge-patch+json", "application/problem+json", "application/vnd.api+json", "text/json", "text/plain", "application/xml",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/*", "*/*", "", "APPLICATION/JSON", "application/jsonx",
        "application/json+json", "application/json\u0001", "application/json; boundary=" + new string('x', 10_000), "application/json, text/plain",
        "application/json; charset=utf-32", "application/json; odata.streaming=true; charset=utf-8; IEEE754Compatible=false",
    ];

    public static readonly string[] Accepts =
    [
        "application/json", "application/json;odata.metadata=full", "application/json;odata.metadata=none", "application/json;odata.metadata=garbage",
        "application/json;odata.streaming=true", "application/json;IEEE754Compatible=true", "application/json;q=0", "application/xml", "text/html",
        "*/*", "application/*", "text/*", "", "application/json;odata.metadata=full;odata.streaming=maybe", "application/json, text/csv;q=0.5",
        "application/json;charset=utf-16", "application/json;charset=nope", "application/json;q=abc", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
        "\u0001", new string('a', 10_000), "application/json;" + string.Concat(Enumerable.Repeat("x=y;", 500)),
    ];

    public static readonly string[] Prefers =
    [
        "odata.maxpagesize=0", "odata.maxpagesize=-1", "odata.maxpagesize=1", "odata.maxpagesize=999", "odata.maxpagesize=1000",
        "odata.maxpagesize=99999999999999999999", "odata.maxpagesize=abc", "odata.maxpagesize=\"5\"", "maxpagesize=2", "odata.maxpagesize",
        "return=minimal", "return=representation", "respond-async", "odata.track-changes", "odata.include-annotations=\"*\"", "wait=1000000000",
        "handling=lenient", "odata.continue-on-error", "odata.maxpagesize=1, odata.maxpagesize=2", ",,,", new string(',', 10_000),
        "odata.maxpagesize=1; odata.maxpagesize=5",
    ];

    public static readonly string[] ETags = ["*", "\"x\"", "W/\"1\"", "garbage", "", new string('"', 10_000), "\"\u0000\"", "W/", "*, \"x\""];

    public static readonly string[] ClientRequestIds =
    [
        "3f0f8e4e-5d5b-4c55-9d4e-1f0c2a7b9a10", "", " ", "a\u0001b", "a\u0000b", "a\tb", "a\u007fb", "café", "😀", "\ud800",
        "a\r\nX-Injected: 1", new string('x', 10 * 1024), new string('\u0001', 100), "<script>alert(1)</script>", "\"quoted\"",
    ];

    public static readonly string[] ContentEncodings = ["gzip", "deflate", "br", "identity", "gzip, gzip", "GZIP", "x-gzip", "gzip;q=1", "", "compress", "*"];

    public static readonly string[] Hosts =
    [
        "evil.example", "localhost:99999", "localhost:0", "localhost:65536", "[::1]", "[::1", "localhost:", "a_b", "LOCALHOST", new string('h', 300),
        "localhost:80:80", "local host", "%41", "user@localhost",
    ];

    /// <summary>Authorization values that must all be refused (401), whatever follows.</summary>
    public static readonly string[] BadAuthorizations =
    [
        "Bearer", "Bearer ", "Bearer garbage", "Basic dXNlcjpwYXNz", "Bearer a.b.c", "Bearer " + new string('a', 10_000), "Bearer {token}x",
        "Bearer {token} {token}", "Bearer\u0001{token}", "Negotiate abc", "Bearer " + NoneToken(), "Bearer " + ForgedToken(),
        "Bearer " + TestTokens.Delegated("expired-user", "expired-app", tweak: d => { d.NotBefore = DateTime.UtcNow.AddHours(-3); d.Expires = DateTime.UtcNow.AddHours(-2); }),
        "Bearer " + TestTokens.Delegated("audience-user", "audience-app", tweak: d => d.Audience = "https://evil.example"),
        "Bearer " + TestTokens.Delegated("issuer-user", "issuer-app", tweak: d => d.Issuer = "https://evil.example/"),
        "Bearer " + TestTokens.Mint(new Dictionary<string, object> { ["oid"] = "noapp-user", ["scp"] = TestTokens.Permission }),
    ];

    /// <summary>A header that may ride along any request.</summary>
    public static readonly Gen<KeyValuePair<string, string>> AnyHeader = Gen.Frequency(
        (3, Gen.OneOf(Accepts).Select(v => new KeyValuePair<string, string>("Accept", v))),
        (3, Gen.OneOf(Prefers).Select(v => new KeyValuePair<string, string>("Prefer", v))),
        (2, Gen.OneOf(ETags).Select(v => new KeyValuePair<string, string>("If-Match", v))),
        (1, Gen.OneOf(ETags).Select(v => new KeyValuePair<string, string>("If-None-Match", v))),
        (3, Gen.OneOf(ClientRequestIds).Select(v => new KeyValuePair<string, string>("client-request-id", v))),
        (1, Gen.OneOf(Hosts).Select(v => new KeyValuePair<string, string>("Host", v))),
        (1, Gen.OneOf(Hosts).Select(v => new KeyValuePair<string, string>("X-Forwarded-Host", v))),
        (1, Gen.OneOf("DELETE", "PATCH", "GET").Select(v => new KeyValuePair<string, string>("X-HTTP-Method-Override", v))),
        (1, Gen.OneOf("4.0", "4.01", "3.0", "5", "", "x").Select(v => new KeyValuePair<string, string>("OData-MaxVersion", v))),
        (1, Gen.OneOf("4.0", "4.01", "3.0", "x").Select(v => new KeyValuePair<string, string>("OData-Version", v))),
        (1, Gen.OneOf("en", "*", "x;q=x").Select(v => new KeyValuePair<string, string>("Accept-Language", v))),
        (1, Gen.OneOf("utf-8", "nope", "*").Select(v => new KeyValuePair<string, string>("Accept-Charset", v))));

    // ---------------------------------------------------------------- requests: bodies

    private static readonly (string Url, Principal As)[] CreateTargets =
    [
        ("v1.0/me/notifications", Principal.Delegated), ("v1.0/users/{user}/notifications", Principal.AppOnly),
        ("v1.0/notifications", Principal.AppOnly), ("beta/me/notifications", Principal.Delegated),
        ("v1.0/users('{user}')/notifications", Principal.AppOnly), ("v1.0/users/{user}/notifications", Principal.Delegated),
    ];

    /// <summary>A body's transport: content type and encoding (applied to the bytes), usually plain JSON.</summary>
    private static readonly Gen<(string? ContentType, string? Encoding, bool Compress, bool Valid)> Transport = Gen.Frequency(
        (40, Gen.Const<(string?, string?, bool, bool)>(("application/json", null, false, true))),
        (4, Gen.OneOf(ContentTypes).Select(t => ((string?)t, (string?)null, false, true))),
        (1, Gen.Const<(string?, string?, bool, bool)>((null, null, false, true))),
        (2, Gen.Select(Gen.OneOf(ContentEncodings), Gen.Bool, Gen.Bool).Select(t => ((string?)"application/json", (string?)t.Item1, t.Item2, t.Item3))));

    /// <summary>POSTs that create a notification, with hostile bodies and, now and then, hostile headers.</summary>
    public static readonly Gen<HostileRequest> CreateRequest =
        Gen.Select(Gen.OneOf(CreateTargets), Body, Transport, AnyHeader.Array[0, 1])
        .Select(t =>
        {
            var (contentType, encoding, compress, valid) = t.Item3;
            byte[] body = encoding is null ? t.Item2 : Encode(t.Item2, encoding, compress, valid);
            var headers = new List<KeyValuePair<string, string>>();
            if (contentType is not null)
            {
                headers.Add(new("Content-Type", contentType));
            }

            if (encoding is not null)
            {
                headers.Add(new("Content-Encoding", encoding));
            }

            headers.AddRange(t.Item4);
            return new HostileRequest("POST", t.Item1.Url, t.Item1.As, body, headers);
        });

    // ---------------------------------------------------------------- requests: references and keys

    /// <summary>Ways to write a notification's key in a path: escapes, quotes, other syntaxes, other ids.</summary>
    public static readonly string[] KeySegments =
    [
        "/{own}", "('{own}')", "(id='{own}')", "({own})", "('{foreign}')", "/{foreign}", "('..%2F..')", "/..%2F..", "('%00')", "/%00", "('a''b')",
        "('a'b')", "(%27{own}%27)", "('%2527')", "/%252F", "('%252e%252e')", "('')", "()", "('", "(')", "(''')", "(1)", "(1.5e999)", "(null)",
        "(guid'{own}')", "('{own}','x')", "(id='{own}',x='y')", "('{own}')('{own}')", "/{own}/{own}", "('\u0000')", "('%C0%AF')", "('%ED%A0%80')",
        "('%FF')", "/%FF", "('\u202e')", "('😀')", "/" + new string('k', 5000), "('" + new string('k', 5000) + "')", "('" + Repeat("%2F", 1000).AsString() + "')",
        "/%2e%2e", "/.", "/%2e", "('{own}'", "{own}", "('{own}')/", "/{own}/", "/{OWN}", "('{own}' )", "( '{own}')", "('{own}')%00",
        "/$count", "/$ref", "/$value", "/$each", "/$all", "/$metadata", "/@odata.id", "/@p1", "(@p1)", "('@p1')",
    ];

    private static readonly string[] FeedPrefixes =
    [
        "v1.0/me/notifications", "v1.0/users/{user}/notifications", "v1.0/users('{user}')/notifications", "beta/me/notifications",
        "v1.0/notifications", "v1.0/users/hostile-foreign-user/notifications",
    ];

    /// <summary>Reads, links and unlinks by key and by reference, through every key syntax and reference form.</summary>
    public static readonly Gen<HostileRequest> ReferenceRequest = Gen.Frequency(
        // POST …/$ref {"@odata.id": …}, the body sometimes mutated too.
        (4, Gen.Select(Gen.OneOf(FeedPrefixes), Gen.OneOf(References), Gen.Enum<Principal>(), Gen.Enum<Setup>(), AnyMutation.Array[0, 2])
            .Select(t =>
            {
                var body = new JObject([new JMember("@odata.id"u8.ToArray(), JsonText.String(t.Item2))]);
                foreach (var mutation in t.Item5)
                {
                    mutation.ApplyTo(body);
                }

                return HostileRequest.Raw("POST", t.Item1 + "/$ref", t.Item3, body.ToBytes(), t.Item4);
            })),
        // DELETE …/{key}/$ref and DELETE …/$ref?$id=…
        (2, Gen.Select(Gen.OneOf(FeedPrefixes), Gen.OneOf(KeySegments), Gen.Enum<Principal>(), Gen.Enum<Setup>())
            .Select(t => new HostileRequest("DELETE", t.Item1 + t.Item2 + "/$ref", t.Item3, Setup: t.Item4))),
        (2, Gen.Select(Gen.OneOf(FeedPrefixes), Gen.OneOf(References), Gen.Bool, Gen.Enum<Principal>(), Gen.Enum<Setup>())
            .Select(t => new HostileRequest("DELETE", $"{t.Item1}/$ref?$id={(t.Item3 ? Uri.EscapeDataString(t.Item2) : t.Item2)}", t.Item4, Setup: t.Item5))),
        // GET by key, any verb on a key.
        (3, Gen.Select(Gen.OneOf(FeedPrefixes), Gen.OneOf(KeySegments), Gen.Enum<Principal>(), Gen.Enum<Setup>(), Gen.OneOf("GET", "GET", "DELETE", "PATCH", "PUT", "POST"))
            .Select(t => new HostileRequest(t.Item5, t.Item1 + t.Item2, t.Item3, Setup: t.Item4))));

    // ---------------------------------------------------------------- requests: queries

    public static readonly string[] Properties =
    [
        "id", "targetHostName", "groupName", "priority", "displayTimeToLive", "expirationDateTime", "payload", "payload/rawContent",
        "payload/visualContent", "payload/visualContent/title", "payload/visualContent/body", "targetPolicy", "targetPolicy/platformTypes",
        "appNotificationId", "attempt", "unknownProperty", "Id", "TARGETHOSTNAME", "microsoft.graph.notification/targetHostName", "notifications",
        "$it/targetHostName", "$this", "payload/unknown", "createdAt", "CreatedAt", "version", "DynamicProperties", "AppId", "@odata.type", "$it",
        "readState", "userActionState", "snoozedUntilDateTime", "createdDateTime", "StateVersion", "stateVersion", "ReadState",
        "urgent", "_x", "appNotificationId/inner", "TenantId", "caf\u00e9", "a1b2c3_", "appnotificationid",
    ];

    public static readonly string[] Literals =
    [
        "'x'", "'it''s'", "''", "'%'", "'%25'", "'_'", "'\u0000'", "'é'", "'😀'", "'\ud800'", "1e400", "99999999999999999999", "-0", "INF", "-INF", "NaN",
        "1.5", "2147483648", "9223372036854775808", "1e308", "1d", "1m", "1f", "1L", "true", "null", "2030-01-01T00:00:00Z", "0000-00-00T00:00:00Z",
        "9999-12-31T23:59:59Z", "-271821-04-20T00:00:00Z", "2030-01-01", "12:00:00", "duration'P1D'", "duration'P99999999999D'",
        "01234567-89ab-cdef-0123-456789abcdef", "binary'AAEC'", "X'00'", "microsoft.graph.priority'High'", "microsoft.graph.priority'Nope'",
        "graph.priority'Low'", "'High'", "'Ultra'", "Edm.String'x'", "geography'POINT(0 0)'", "$root/notifications", "@p1", "[1,2]", "{\"a\":1}",
        "'" + new string('a', 2000) + "'", "0", "-1", "1",
        "'unread'", "'snoozed'", "microsoft.graph.notificationReadState'read'", "microsoft.graph.notificationUserActionState'nope'", "'Read'",
        // Shaped as JSON paths and SQL, for filters on dynamic properties (their names and values reach JSON functions).
        "'$.appNotificationId'", "'$[0]'", "'a\"b'", "'\\'", "''') OR 1=1 --'", "'$.\"x\"'", "'[\"a\"]'", "false",
    ];


    private static readonly string[] Comparisons = ["eq", "ne", "gt", "ge", "lt", "le", "has", "in", "EQ", "=", "==", "like"];

    private static readonly string[] Arithmetic = ["add", "sub", "mul", "div", "divby", "mod"];

    private static readonly string[] Functions =
    [
        "contains", "startswith", "endswith", "length", "indexof", "substring", "tolower", "toupper", "trim", "concat", "matchesPattern", "year",
        "month", "day", "hour", "minute", "second", "fractionalseconds", "date", "time", "totaloffsetminutes", "now", "maxdatetime", "mindatetime",
        "totalseconds", "round", "floor", "ceiling", "cast", "isof", "geo.distance", "geo.length", "geo.intersects", "case", "hassubset",
        "hassubsequence", "unknownfunction", "microsoft.graph.unknown",
    ];

    private static readonly Gen<string> Operand = Gen.Frequency(
        (4, Gen.OneOf(Properties)), (3, Gen.OneOf(Literals)),
        (2, Gen.Select(Gen.OneOf(Functions), Gen.OneOf(Properties), Gen.OneOf(Literals), Gen.Int[0, 3]).Select(t => t.Item4 switch
        {
            0 => $"{t.Item1}({t.Item2})",
            1 => $"{t.Item1}({t.Item2},{t.Item3})",
            2 => $"{t.Item1}({t.Item2},{t.Item3},{t.Item3})",
            _ => $"{t.Item1}()",
        })),
        (1, Gen.Select(Gen.OneOf(Properties), Gen.OneOf(Arithmetic), Gen.OneOf(Literals)).Select(t => $"{t.Item1} {t.Item2} {t.Item3}")));

    private static readonly Gen<string> Comparison = Gen.Frequency(
        (5, Gen.Select(Operand, Gen.OneOf(Comparisons), Operand).Select(t => $"{t.Item1} {t.Item2} {t.Item3}")),
        (1, Gen.Select(Gen.OneOf(Properties), Gen.OneOf(Literals).Array[0, 5]).Select(t => $"{t.Item1} in ({string.Join(',', t.Item2)})")),
        (1, Operand));

    /// <summary><c>$filter</c> expressions: comparisons, functions, arithmetic, lambdas, combined a few levels deep.</summary>
    public static readonly Gen<string> FilterExpression = Gen.Recursive<string>((depth, self) => depth >= 4
        ? Comparison
        : Gen.Frequency(
            (4, Comparison),
            (2, Gen.Select(self, Gen.OneOf("and", "or", "AND", "&&"), self).Select(t => $"{t.Item1} {t.Item2} {t.Item3}")),
            (1, self.Select(e => $"not ({e})")),
            (1, self.Select(e => $"({e})")),
            (1, Gen.Select(Gen.OneOf("any", "all"), Gen.OneOf("p", "$it", "x y"), self).Select(t => $"targetPolicy/platformTypes/{t.Item1}({t.Item2}: {t.Item3})")),
            (1, Gen.Select(Gen.OneOf("any", "all"), Gen.OneOf(Literals)).Select(t => $"targetPolicy/platformTypes/{t.Item1}(p: p eq {t.Item2})"))));

    /// <summary><c>$filter</c> built to be expensive: deep parentheses, long or-chains, nested lambdas, huge literals, long in-lists.</summary>
    public static readonly Gen<string> ExpensiveFilter = Gen.Frequency(
        (1, Gen.Int[50, 3000].Select(n => new string('(', n) + "priority eq 'High'" + new string(')', n))),
        (1, Gen.Int[50, 2000].Select(n => string.Join(" or ", Enumerable.Range(0, n).Select(i => $"targetHostName eq 'h{i}'")))),
        (1, Gen.Int[50, 2000].Select(n => string.Join(" and ", Enumerable.Range(0, n).Select(i => $"displayTimeToLive ne {i}")))),
        (1, Gen.Int[2, 30].Select(n => NestedLambdas(n))),
        (1, Gen.Select(Gen.Int[1000, 30_000], Gen.OneOf("targetHostName eq '{0}'", "contains(targetHostName,'{0}')", "matchesPattern(targetHostName,'{0}')", "concat(targetHostName,'{0}') eq 'x'"))
            .Select(t => string.Format(CultureInfo.InvariantCulture, t.Item2, new string('a', t.Item1)))),
        (1, Gen.Int[50, 3000].Select(n => $"targetHostName in ({string.Join(',', Enumerable.Range(0, n).Select(i => $"'h{i}'"))})")),
        (1, Gen.Int[5, 300].Select(n => string.Concat(Enumerable.Repeat("tolower(", n)) + "targetHostName" + new string(')', n) + " eq 'x'")),
        (1, Gen.Int[5, 300].Select(n => string.Concat(Enumerable.Repeat("not ", n)) + "(priority eq 'High')")),
        (1, Gen.OneOf("matchesPattern(targetHostName,'^(a+)+$')", "matchesPattern(payload/rawContent,'(a|a)*b$')", "matchesPattern(targetHostName,'(.*a){20}')",
            "matchesPattern(targetHostName,'[')", "matchesPattern(targetHostName,'\\\\')", "matchesPattern(targetHostName,'(?<=a)b')")));

    private static readonly string[] SelectValues =
    [
        "id", "*", "payload/visualContent/title", "notifications", "id,id", "id,targetHostName,priority,groupName,payload,targetPolicy", "@odata.id",
        "..", "payload/*", "microsoft.graph.notification/id", "appNotificationId", "unknownProp", "''", ",", ")(", "id desc", "payload/visualContent/title/x",
        "targetPolicy/platformTypes($top=1)", "payload($select=rawContent)", "createdAt", "DynamicProperties", "$ref", "$count", "id,", "*,*",
    ];

    private static readonly string[] ExpandValues =
    [
        "notifications", "*", "notifications($select=id)", "notifications($expand=notifications)", "notifications($levels=max)", "notifications($levels=5)",
        "notifications/$ref", "notifications($count=true)", "notifications($top=1000)", "notifications($top=-1)", "notifications($skip=99999999999)",
        "notifications($filter=priority eq 'High';$orderby=groupName desc;$top=2;$skip=1;$select=id)", "notifications($filter=matchesPattern(targetHostName,'^(a+)+$'))",
        "notifications($orderby=appNotificationId)", "notifications($filter=appNotificationId eq 'app-2')", "notifications($filter=displayTimeToLive div 0 eq 1)", "notifications($orderby=payload)", "notifications($search=x)", "notifications($apply=x)",
        "payload", "notifications,notifications", "notifications(", "notifications($filter=)", "manager", "microsoft.graph.user/notifications",
        "notifications($expand=*)", "notifications($select=id;$select=id)", "notifications($filter=" + new string('(', 200) + "true" + new string(')', 200) + ")",
    ];

    private static readonly string[] OrderByValues =
    [
        "id", "priority desc", "priority,groupName desc,displayTimeToLive,expirationDateTime,targetHostName", "id,id,id,id,id,id", "payload", "payload/visualContent/title desc",
        "targetPolicy/platformTypes", "appNotificationId", "length(targetHostName)", "id desc desc", "id asc,", "unknown", "$it", "tolower(targetHostName)",
        "priority eq 'High'", "payload/rawContent asc", "groupName desc nulls first", "@odata.id", "createdAt", "", ",",
    ];

    private static readonly string[] Numbers =
    [
        "-1", "0", "1", "999", "1000", "100000", "100001", "99999999999999999999", "1e3", "abc", "", "+1", " 1", "0x10", "2147483648", "-2147483649", "1.5", "١",
    ];

    /// <summary>One query option: its name (sometimes misspelled or unknown) and a value for it.</summary>
    private static Gen<KeyValuePair<string, string>> QueryOption(Gen<string> filter) => Gen.Frequency(
        (6, filter.Select(v => new KeyValuePair<string, string>("$filter", v))),
        (2, Gen.OneOf(SelectValues).Select(v => new KeyValuePair<string, string>("$select", v))),
        (2, Gen.OneOf(ExpandValues).Select(v => new KeyValuePair<string, string>("$expand", v))),
        (2, Gen.OneOf(OrderByValues).Select(v => new KeyValuePair<string, string>("$orderby", v))),
        (1, Gen.OneOf(Numbers).Select(v => new KeyValuePair<string, string>("$top", v))),
        (1, Gen.OneOf(Numbers).Select(v => new KeyValuePair<string, string>("$skip", v))),
        (1, Gen.OneOf("true", "false", "TRUE", "1", "yes", "").Select(v => new KeyValuePair<string, string>("$count", v))),
        (2, Gen.OneOf(SkipTokenForms).Select(v => new KeyValuePair<string, string>("$skiptoken", v))),
        (1, Gen.OneOf("json", "application/json", "xml", "atom", "application/json;odata.metadata=full", "application/json;odata.metadata=garbage", "", "text/csv")
            .Select(v => new KeyValuePair<string, string>("$format", v))),
        (2, Gen.Select(Gen.OneOf(UnknownOptionNames), Gen.OneOf("x", "", "1", "true", "notifications")).Select(t => new KeyValuePair<string, string>(t.Item1, t.Item2))));

    private static readonly string[] UnknownOptionNames =
    [
        "$search", "$apply", "$compute", "$levels", "$index", "$schemaversion", "$deltatoken", "$unknown", "$FILTER", "$Top", "$filter ", "filter", "$",
        "", "@p1", "$id", "$expand($levels)", "$skipToken", "$format", "$callback", "$inlinecount", "$orderby", "$select", "$top", "$top",
    ];

    /// <summary>
    /// <c>$skiptoken</c> values: garbage, and real next-link tokens of the seeded feed tampered with (a client can read
    /// them: they are base64url JSON). <c>{token0}</c>/<c>{token1}</c> are filled by <see cref="WithSkipTokens"/>.
    /// </summary>
    private static readonly string[] SkipTokenForms =
    [
        "garbage", "", "=", "%", "AAAA", "e30", "bnVsbA", "W10", "eyJPcmRlcmluZyI6bnVsbH0", "{token0}", "{token1}", "{token0}x", "{token0}{token0}",
        "{tamper:RemainingTop=-1}", "{tamper:RemainingTop=0}", "{tamper:RemainingTop=-2147483648}", "{tamper:RemainingTop=2147483647}",
        "{tamper:RemainingTop=\"x\"}", "{tamper:Last=[]}", "{tamper:Last=[null,null]}", "{tamper:Last=[1e400,\"x\"]}", "{tamper:Last=[\"x\",1]}",
        "{tamper:Last=[true]}", "{tamper:Last=[9223372036854775807,\"\"]}", "{tamper:Last=[-9223372036854775808,\"\\u0000\"]}",
        "{tamper:Last=null}", "{tamper:Last={}}", "{tamper:Ordering=null}", "{tamper:Last=[0,\"" + new string('z', 5000) + "\"]}",
        "{tamper1:Last=[99,\"x\",\"y\"]}", "{tamper1:Last=[null,null,null]}", "{tamper1:Last=[\"High\",1,\"x\"]}", "{tamper1:Last=[1e400,null,\"x\"]}",
        "{tamper1:RemainingTop=-5}",
    ];

    private static readonly (string Url, Principal As)[] Collections =
    [
        ("v1.0/me/notifications", Principal.Delegated), ("v1.0/users/{user}/notifications", Principal.AppOnly), ("v1.0/notifications", Principal.AppOnly),
        ("v1.0/users", Principal.AppOnly), ("v1.0/me", Principal.Delegated), ("v1.0/users/{user}", Principal.AppOnly),
        ("v1.0/me/notifications/$ref", Principal.Delegated), ("v1.0/me/notifications/$count", Principal.Delegated),
        ("v1.0/notifications/$count", Principal.AppOnly), ("beta/users/{user}/notifications/$ref", Principal.AppOnly),
        ("v1.0/users('{user}')/notifications", Principal.AppOnly), ("v1.0/users/{user}/notifications/$count", Principal.AppOnly),
        ("v1.0/me/notifications/delta", Principal.Delegated), ("beta/users/{user}/notifications/microsoft.graph.delta()", Principal.AppOnly),
        ("v1.0/users('{user}')/notifications/delta()", Principal.AppOnly),
    ];

    /// <summary>GETs of every collection with hostile query strings, over the seeded feed.</summary>
    public static readonly Gen<HostileRequest> QueryRequest =
        Gen.Select(
            Gen.OneOf(Collections),
            QueryOption(Gen.Frequency((5, FilterExpression), (2, ExpensiveFilter))).Array[0, 4],
            Gen.Frequency((4, Gen.Const(true)), (1, Gen.Const(false))),
            Gen.Frequency((5, Gen.Const(Array.Empty<KeyValuePair<string, string>>())), (2, AnyHeader.Array[1, 2])))
        .Select(t => new HostileRequest(
            "GET",
            t.Item1.Url + QueryString(t.Item2, t.Item3),
            t.Item1.As,
            Headers: [.. t.Item4],
            Shared: true));

    private static string QueryString(KeyValuePair<string, string>[] options, bool escape)
    {
        if (options.Length == 0)
        {
            return string.Empty;
        }

        return "?" + string.Join('&', options.Select(o => escape
            ? $"{Uri.EscapeDataString(o.Key)}={Uri.EscapeDataString(o.Value)}"
            : $"{o.Key}={o.Value.Replace("%", "%25", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal).Replace("&", "%26", StringComparison.Ordinal)}"));
    }

    /// <summary>Fills the skip-token placeholders of a query case with the seeded feed's real and tampered tokens.</summary>
    public static HostileRequest WithSkipTokens(HostileRequest request, IReadOnlyList<string> tokens)
    {
        if (!request.Url.Contains('{', StringComparison.Ordinal))
        {
            return request;
        }

        string url = request.Url;
        for (int i = 0; i < tokens.Count; i++)
        {
            url = url.Replace(Uri.EscapeDataString($"{{token{i}}}"), tokens[i], StringComparison.Ordinal).Replace($"{{token{i}}}", tokens[i], StringComparison.Ordinal);
        }

        url = System.Text.RegularExpressions.Regex.Replace(url, @"(%7B|\{)tamper(1?)(%3A|:)(.*?)(%7D|\})(?=&|$)", match =>
        {
            string change = Uri.UnescapeDataString(match.Groups[4].Value);
            int equals = change.IndexOf('=', StringComparison.Ordinal);
            var token = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(tokens[match.Groups[2].Value == "1" ? 1 : 0]))!.AsObject();
            token[change[..equals]] = JsonNode.Parse(change[(equals + 1)..]);
            return System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(token.ToJsonString()));
        });
        return request with { Url = url };
    }

    // ---------------------------------------------------------------- requests: paths, methods and headers

    private static readonly string[] Versions = ["v1.0", "beta", "V1.0", "v2", "", "v1.0/v1.0", "%761.0", "v1.0%2F", "v1.0;x", "..", "v1.0/..", "BETA"];

    private static readonly string[] Segments =
    [
        "me", "users", "users/{user}", "users('{user}')", "notifications", "notifications('{own}')", "notifications/{own}", "$ref", "$count", "$value",
        "$metadata", "$batch", "$entity", "$all", "$crossjoin(notifications,users)", "$each", "..", ".", "%2e%2e", "%2F", "", "payload",
        "microsoft.graph.notification", "graph.user", "$filter(priority eq 'High')", "users(1)", "users('')", "users(')", "users('a''b')",
        "notifications('{foreign}')", "users/hostile-foreign-user", "%00", "%C0%AF", "%ED%A0%80", "%FF", "😀", new string('s', 3000), "$metadata#x",
        "targetPolicy", "payload/visualContent", "notifications('{own}')/payload", "$select", "?", "@odata.id", "$query", "microsoft.graph.delta()",
        "delta", "$count()", "$value/$value", "me()", "users/$count", "users/{user}/$ref", "users/@u", "notifications/@n",
    ];

    private static readonly string[] Methods = ["GET", "GET", "GET", "POST", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS", "TRACE", "MERGE", "FOO", "CONNECT-X"];

    /// <summary>Any verb on odd paths, with hostile headers and sometimes a body: routing, identity and errors under stress.</summary>
    public static readonly Gen<HostileRequest> PathRequest =
        Gen.Select(
            Gen.OneOf(Methods),
            Gen.OneOf(Versions),
            Gen.OneOf(Segments).Array[0, 4],
            Gen.Enum<Principal>(),
            Gen.Enum<Setup>(),
            AnyHeader.Array[0, 3],
            Gen.Frequency((3, Gen.Const(default(byte[]))), (1, Gen.Const<byte[]?>(Utf8(Bodies.Minimal()))), (1, Body.Select(b => (byte[]?)b))),
            Gen.Frequency((6, Gen.Const(default(string))), (1, Gen.OneOf(BadAuthorizations).Select(a => (string?)a))))
        .Select(t =>
        {
            string path = string.Join('/', new[] { t.Item2 }.Concat(t.Item3)).TrimStart('/');
            var request = new HostileRequest(t.Item1, path, t.Item4, t.Item7, [.. t.Item6], t.Item5);
            if (t.Item7 is not null)
            {
                request = request.WithHeader("Content-Type", "application/json");
            }

            return t.Item8 is null ? request : request.WithHeader("Authorization", t.Item8);
        });

    // ---------------------------------------------------------------- helpers

    public static byte[] Mutate(JsonObject valid, IEnumerable<Mutation> mutations)
    {
        var root = (JObject)JsonPiece.From(valid);
        foreach (var mutation in mutations)
        {
            mutation.ApplyTo(root);
        }

        return root.ToBytes();
    }

    public static byte[] Utf8(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    /// <summary><paramref name="unit"/> repeated to <paramref name="count"/> times.</summary>
    public static byte[] Repeat(string unit, int count) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(unit, count)));

    private static string AsString(this byte[] bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>JSON string content with every character outside printable ASCII as <c>\uXXXX</c> (lone surrogates too).</summary>
    public static byte[] Escape(string text)
    {
        var output = new StringBuilder();
        foreach (char c in text)
        {
            output.Append(c is >= ' ' and < (char)0x7F and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:x4}");
        }

        return Encoding.ASCII.GetBytes(output.ToString());
    }

    private static string NestedLambdas(int depth)
    {
        var text = new StringBuilder();
        for (int i = 0; i < depth; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"targetPolicy/platformTypes/{(i % 2 == 0 ? "any" : "all")}(p{i}: ");
        }

        text.Append("p0 eq 'x'");
        text.Append(')', depth);
        return text.ToString();
    }

    private static byte[] Encode(byte[] body, string encoding, bool compress, bool valid)
    {
        if (!compress)
        {
            return body;
        }

        using var output = new MemoryStream();
        using (Stream compressor = encoding.Contains("deflate", StringComparison.OrdinalIgnoreCase)
            ? new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true)
            : new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            compressor.Write(body);
        }

        byte[] compressed = output.ToArray();
        // An invalid stream: the compressed bytes cut short, or with a byte flipped in the middle.
        return valid ? compressed : compressed.Length > 12 ? [.. compressed[..(compressed.Length / 2)], (byte)(compressed[compressed.Length / 2] ^ 0x5A)] : [0x1F, 0x8B, 0x08];
    }

    /// <summary>A token with <c>alg: none</c> and no signature.</summary>
    private static string NoneToken()
    {
        string header = System.Buffers.Text.Base64Url.EncodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8);
        string payload = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $"{{\"iss\":\"{TestTokens.Issuer}\",\"aud\":\"{TestTokens.Audience}\",\"azp\":\"none-app\",\"oid\":\"none-user\",\"scp\":\"{TestTokens.Permission}\",\"exp\":4102444800}}"));
        return $"{header}.{payload}.";
    }

    /// <summary>A token signed with another key.</summary>
    private static string ForgedToken() =>
        TestTokens.Delegated("forged-user", "forged-app", tweak: d => d.SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
            new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey("another-signing-key-that-is-32-bytes-long!!"u8.ToArray()),
            Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256));
}
