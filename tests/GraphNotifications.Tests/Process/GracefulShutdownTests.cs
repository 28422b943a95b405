using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// SIGTERM, as an orchestrator sends it to stop or redeploy the service: the real process stops accepting
/// connections, finishes what it accepted, exits with code 0 within <c>Shutdown:Timeout</c>, and everything it
/// acknowledged is there when it starts again.
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    private const string App = "shutdown-app";
    private const int Workers = 8;
    private const int HeldRequests = 4;
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Beyond the drain: the process's own exit (host stop, checkpoint, runtime) on a busy machine.</summary>
    private static readonly TimeSpan ExitMargin = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    [Fact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task SIGTERM_under_load_answers_every_accepted_request_exits_0_and_keeps_every_acknowledged_create()
    {
        await using var service = await ServiceProcess.StartAsync(settings: [$"Shutdown:Timeout={ShutdownTimeout:c}"]);

        // Load: workers creating notifications as fast as answers come, each request logged with its answer.
        var signalled = new SignalClock();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var logs = Enumerable.Range(0, Workers).Select(_ => new List<Sent>()).ToArray();
        var load = logs.Select((log, worker) => Task.Run(() => LoadAsync(service, worker, log, signalled, running, stop.Token))).ToArray();
        await running.Task.WaitAsync(StepTimeout);

        // Held requests: the server has accepted each (it asked for the body: 100 Continue), and the body comes
        // only after the signal, so each is certainly in flight while the service shuts down.
        using var heldClient = HeldClient(service);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = Enumerable.Range(0, HeldRequests).Select(i => new HeldBody($"held-{i}", release.Task)).ToArray();
        var heldAnswers = held.Select(body => SendHeldAsync(heldClient, body)).ToArray();
        await Task.WhenAll(held.Select(body => body.Accepted)).WaitAsync(StepTimeout);

        signalled.Mark();
        service.Terminate();

        // It stops accepting: a new connection is refused while the held requests are still open.
        await WaitUntilRefusedAsync(service.BaseAddress);
        release.SetResult();
        var heldResults = await Task.WhenAll(heldAnswers).WaitAsync(StepTimeout);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        int exitCode = await service.WaitForExitAsync(ShutdownTimeout + ExitMargin);
        Assert.True(exitCode == 0, $"The service exited with code {exitCode} after SIGTERM.{Environment.NewLine}{service.Output}");

        // Every held request got its whole answer: a 201 with the notification.
        foreach (var (status, marker, id) in heldResults)
        {
            Assert.True(status == HttpStatusCode.Created, $"The held request {marker} was accepted before SIGTERM but answered {status}.");
            Assert.NotNull(id);
        }

        await service.RestartAsync();
        using var app = service.AppOnly(App);
        var stored = (await app.ReadAllAsync("notifications?$select=id,groupName"))
            .ToDictionary(n => n["groupName"]!.GetValue<string>(), n => n["id"]!.GetValue<string>(), StringComparer.Ordinal);

        var sent = logs.SelectMany(log => log).ToList();
        var problems = new List<string>();
        foreach (var request in sent.Where(r => r.Status is { } status && status != HttpStatusCode.Created))
        {
            problems.Add($"{request.Marker} was answered {(int)request.Status!}");
        }

        // Acknowledged (before or after the signal): stored, under the id the 201 gave.
        var acknowledged = sent.Where(r => r.Status == HttpStatusCode.Created).Select(r => (r.Marker, r.Id))
            .Concat(heldResults.Select(h => (h.Marker, h.Id)));
        foreach (var (marker, id) in acknowledged)
        {
            if (!stored.TryGetValue(marker, out string? storedId) || storedId != id)
            {
                problems.Add($"{marker} was answered 201 ({id}) but is not stored after the restart");
            }
        }

        // Sent before the signal without an answer: never accepted, so never applied. Stored would mean the server
        // took the request and then cut its connection.
        var unanswered = sent.Where(r => r.BeforeSignal && r.Status is null).ToList();
        foreach (var request in unanswered.Where(r => stored.ContainsKey(r.Marker)))
        {
            problems.Add($"{request.Marker} was sent before SIGTERM and applied, but its connection ended without an answer");
        }

        output.WriteLine($"SIGTERM under load: {sent.Count(r => r.BeforeSignal)} requests sent before the signal, " +
            $"{sent.Count(r => r.BeforeSignal && r.Status is not null)} answered, {unanswered.Count} refused unapplied; " +
            $"{HeldRequests} held requests (accepted, body sent after the signal) answered 201; " +
            $"{sent.Count(r => !r.BeforeSignal)} sent after it; exit code {exitCode}.");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task SIGTERM_cuts_off_a_request_still_running_at_Shutdown_Timeout_applies_none_of_it_and_exits_0()
    {
        var shortTimeout = TimeSpan.FromSeconds(3);
        await using var service = await ServiceProcess.StartAsync(settings: [$"Shutdown:Timeout={shortTimeout:c}"]);
        using var heldClient = HeldClient(service);
        // Accepted (asked for its body), and its body never ends: it is still running when the timeout comes.
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = new HeldBody("outlasting", never.Task);
        var answer = SendHeldAsync(heldClient, body);
        await body.Accepted.WaitAsync(StepTimeout);

        service.Terminate();

        int exitCode = await service.WaitForExitAsync(shortTimeout + ExitMargin);
        Assert.True(exitCode == 0, $"The service exited with code {exitCode} after SIGTERM.{Environment.NewLine}{service.Output}");
        // Cut off, not answered: the client's request fails.
        var cutOff = await Record.ExceptionAsync(() => answer.WaitAsync(StepTimeout));
        Assert.True(cutOff is HttpRequestException or IOException or TaskCanceledException, $"The request outlasting the timeout was answered or failed oddly: {cutOff}");
        never.SetResult();

        await service.RestartAsync();
        using var app = service.AppOnly(App);
        Assert.DoesNotContain(await app.ReadAllAsync("notifications?$select=id,groupName"), n => n["groupName"]!.GetValue<string>() == "outlasting");
    }

    /// <summary>Creates notifications until stopped or until a request gets no answer (the service is gone).</summary>
    private static async Task LoadAsync(ServiceProcess service, int worker, List<Sent> log, SignalClock signalled, TaskCompletionSource running, CancellationToken stop)
    {
        using var client = service.AppOnly(App);
        for (int sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            var request = new Sent($"load-{worker}-{sequence}", BeforeSignal: !signalled.IsMarked);
            log.Add(request);
            try
            {
                using var response = await client.PostAsync($"users/shutdown-user-{worker}/notifications", Body(request.Marker));
                request.Status = response.StatusCode;
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    request.Id = (await response.ReadObjectAsync())["id"]!.GetValue<string>();
                    running.TrySetResult();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                request.Status = null;
                return;
            }
        }
    }

    private static HttpClient HeldClient(ServiceProcess service)
    {
        // The client waits for 100 Continue before it sends a body, as long as the server takes to ask.
        var handler = new SocketsHttpHandler { Expect100ContinueTimeout = StepTimeout };
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = service.BaseAddress, Timeout = StepTimeout * 2 };
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.AppOnly(App));
        return client;
    }

    private static async Task<(HttpStatusCode Status, string Marker, string? Id)> SendHeldAsync(HttpClient client, HeldBody body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "users/shutdown-held-user/notifications") { Content = body };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);
        string? id = response.StatusCode == HttpStatusCode.Created ? (await response.ReadObjectAsync())["id"]!.GetValue<string>() : null;
        return (response.StatusCode, body.Marker, id);
    }

    private static async Task WaitUntilRefusedAsync(Uri address)
    {
        using var deadline = new CancellationTokenSource(StepTimeout);
        while (true)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(address.Host, address.Port, deadline.Token);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"The service still accepted connections {StepTimeout} after SIGTERM.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
        }
    }

    private static JsonObject Body(string marker)
    {
        var body = Bodies.Minimal($"Shutdown load {marker}");
        body["groupName"] = marker;
        return body;
    }

    private sealed record Sent(string Marker, bool BeforeSignal)
    {
        public HttpStatusCode? Status { get; set; }

        public string? Id { get; set; }
    }

    /// <summary>Whether SIGTERM has been sent; read by the load workers as they send each request.</summary>
    private sealed class SignalClock
    {
        private int _marked;

        public bool IsMarked => Volatile.Read(ref _marked) == 1;

        public void Mark() => Volatile.Write(ref _marked, 1);
    }

    /// <summary>
    /// A create's body that the client sends only once the server asks for it (100 Continue): asked means accepted.
    /// Until it is released it trickles JSON whitespace, so that Kestrel's minimum body data rate does not end it.
    /// </summary>
    private sealed class HeldBody : HttpContent
    {
        private readonly TaskCompletionSource _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _release;

        public HeldBody(string marker, Task release)
        {
            Marker = marker;
            _release = release;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        public string Marker { get; }

        public Task Accepted => _accepted.Task;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            _accepted.TrySetResult();
            byte[] whitespace = Encoding.UTF8.GetBytes(new string(' ', 32));
            while (!_release.IsCompleted)
            {
                await stream.WriteAsync(whitespace);
                await stream.FlushAsync();
                await Task.WhenAny(_release, Task.Delay(TimeSpan.FromMilliseconds(50)));
            }

            await stream.WriteAsync(Encoding.UTF8.GetBytes(Body(Marker).ToJsonString()));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
