using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace GraphNotifications.Tests.Push;

/// <summary>
/// One push as the stub received it: its headers, what the VAPID check found, the VAPID JWT's <c>sub</c> (the sender's
/// <c>Push:VapidSubject</c>, once the signature verified), and the decrypted JSON.
/// </summary>
public sealed record ReceivedPush(string Subscription, int Status, string? Ttl, string? Urgency, string? Topic, string? ContentEncoding,
    string? VapidProblem, JsonObject? Payload, string? DecryptError, string? VapidSubject = null);

/// <summary>
/// A Web Push service (RFC 8030) on a loopback port, independent of the service: each subscription is a path
/// (<c>/push/{name}</c>) with its user agent's keys. For every request it checks the VAPID authorization (RFC 8292:
/// <c>vapid t=&lt;JWT&gt;, k=&lt;key&gt;</c>, the key the service serves, an ES256 signature by it, <c>aud</c> the
/// endpoint's origin, <c>exp</c> ahead and within 24 hours, a <c>sub</c>) and decrypts the body with http_ece (node).
/// It reads bodies chunked or not, answers 201 unless told otherwise, and records everything.
/// </summary>
public sealed class PushServiceStub : IAsyncDisposable
{
    private readonly UserAgents _agents;
    private readonly ConcurrentDictionary<string, UserAgentKeys> _subscriptions = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string? RetryAfter)>> _answers = new();
    private readonly TaskCompletionSource _enoughInFlight = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _holdUntilInFlight;
    private LoopbackApp _app = null!;

    private PushServiceStub(UserAgents agents, string vapidPublicKey) => (_agents, VapidPublicKey) = (agents, vapidPublicKey);

    public string VapidPublicKey { get; }

    /// <summary>How long each push is held before its answer: a slow push service, so a test can act mid-delivery.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>
    /// Holds every request unanswered until <paramref name="count"/> are in flight at once, then answers them all and
    /// holds no more: proof that senders sent that many in parallel (one instance sends at most
    /// <c>Push:SendBatchSize</c>), an event to wait on rather than a delay.
    /// </summary>
    public void HoldUntilInFlight(int count) => _holdUntilInFlight = count;

    /// <summary>Every request, in arrival order.</summary>
    public ConcurrentQueue<ReceivedPush> Received { get; } = new();

    public static async Task<PushServiceStub> StartAsync(UserAgents agents, string vapidPublicKey)
    {
        var stub = new PushServiceStub(agents, vapidPublicKey);
        stub._app = await LoopbackApp.StartAsync(stub.HandleAsync);
        return stub;
    }

    /// <summary>A new browser subscription: its endpoint URL and keys, as PushSubscription.toJSON() gives them (with platformType).</summary>
    public async Task<(string Endpoint, JsonObject Body)> SubscribeAsync(string name)
    {
        var keys = await _agents.NewAsync();
        _subscriptions[name] = keys;
        string endpoint = new Uri(_app.Address, $"/push/{name}").ToString();
        return (endpoint, new JsonObject
        {
            ["endpoint"] = endpoint,
            ["expirationTime"] = null,
            ["keys"] = new JsonObject { ["p256dh"] = keys.P256dh, ["auth"] = keys.Auth },
            ["platformType"] = "webPush",
        });
    }

    /// <summary>The next requests to <paramref name="name"/> are answered with these statuses (then 201 again).</summary>
    public void AnswerNext(string name, int status, string? retryAfter = null) =>
        _answers.GetOrAdd(name, _ => new()).Enqueue((status, retryAfter));

    public ReceivedPush[] Accepted(string name) => [.. Received.Where(r => r.Subscription == name && r.Status == 201)];

    /// <summary>Waits until <paramref name="condition"/> holds over what was received, or fails after <paramref name="timeout"/> (15 s by default).</summary>
    public async Task<ReceivedPush[]> WaitForAsync(Func<ReceivedPush[], bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var received = Received.ToArray();
            if (condition(received))
            {
                return received;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline,
                $"The push service did not get the expected pushes in time; it has {received.Length}: {string.Join(", ", received.Select(r => $"{r.Subscription} {r.Status} {r.Payload?.ToJsonString() ?? r.DecryptError}"))}");
            await Task.Delay(25);
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        string name = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty;
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        byte[] body = buffer.ToArray();
        var (vapidProblem, vapidSubject) = CheckVapid(context.Request.Headers.Authorization.ToString(), new Uri(_app.Address.GetLeftPart(UriPartial.Authority)));
        int inFlight = Interlocked.Increment(ref _inFlight);
        if (_holdUntilInFlight > 0)
        {
            if (inFlight >= _holdUntilInFlight)
            {
                _enoughInFlight.TrySetResult();
            }

            await _enoughInFlight.Task.WaitAsync(context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        int status = StatusCodes.Status201Created;
        string? retryAfter = null;
        if (_answers.TryGetValue(name, out var queue) && queue.TryDequeue(out var answer))
        {
            (status, retryAfter) = answer;
        }

        var headers = context.Request.Headers;
        (string? Ttl, string? Urgency, string? Topic, string? Encoding) seen =
            (headers["TTL"].FirstOrDefault(), headers["Urgency"].FirstOrDefault(), headers.ContainsKey("Topic") ? headers["Topic"].ToString() : null,
                headers.ContentEncoding.FirstOrDefault());
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        if (status == StatusCodes.Status201Created)
        {
            context.Response.Headers.Location = $"/message/{Guid.NewGuid():N}";
        }

        // Answered before the decryption (one node process decrypts for the whole stub): a slow stub would make the
        // service time out and send again.
        await context.Response.CompleteAsync();
        Interlocked.Decrement(ref _inFlight);
        JsonObject? payload = null;
        string? decryptError = "unknown subscription";
        if (_subscriptions.TryGetValue(name, out var keys))
        {
            var (text, error) = await _agents.DecryptAsync(keys, body);
            decryptError = error;
            payload = text is null ? null : JsonNode.Parse(text) as JsonObject;
        }

        Received.Enqueue(new ReceivedPush(name, status, seen.Ttl, seen.Urgency, seen.Topic, seen.Encoding, vapidProblem, payload, decryptError, vapidSubject));
    }

    /// <summary>What is wrong with the request's VAPID authorization (null when it is sound), and its <c>sub</c> once its signature verified.</summary>
    private (string? Problem, string? Subject) CheckVapid(string authorization, Uri origin)
    {
        string? subject = null;
        string? problem = VapidProblem(authorization, origin, ref subject);
        return (problem, subject);
    }

    private string? VapidProblem(string authorization, Uri origin, ref string? subject)
    {
        if (!authorization.StartsWith("vapid ", StringComparison.Ordinal))
        {
            return $"not the vapid scheme: '{authorization}'";
        }

        var parameters = authorization["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parameters.TryGetValue("t", out string? jwt) || !parameters.TryGetValue("k", out string? key))
        {
            return "t or k missing";
        }

        if (key != VapidPublicKey)
        {
            return "k is not the served public key";
        }

        string[] parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return "t is not a JWS";
        }

        var header = JsonNode.Parse(Base64Url(parts[0]))!;
        if (header["alg"]?.GetValue<string>() != "ES256")
        {
            return "alg is not ES256";
        }

        byte[] point = Base64Url(key);
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..65] } });
        if (!ecdsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256))
        {
            return "the signature does not verify with the served public key";
        }

        var claims = JsonNode.Parse(Base64Url(parts[1]))!;
        string? audience = claims["aud"]?.GetValue<string>();
        if (audience?.TrimEnd('/') != origin.ToString().TrimEnd('/'))
        {
            return $"aud {audience} is not the endpoint's origin {origin}";
        }

        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        long? exp = claims["exp"]?.GetValue<long>();
        if (exp is null || exp <= now || exp > now + (24 * 3600))
        {
            return $"exp {exp} is not within the next 24 hours";
        }

        subject = claims["sub"]?.GetValue<string>();
        return subject is not null && (subject.StartsWith("mailto:", StringComparison.Ordinal) || subject.StartsWith("https:", StringComparison.Ordinal))
            ? null
            : $"sub {subject} is not a mailto: or https: URL";
    }

    private static byte[] Base64Url(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text.TrimEnd('='));
}
