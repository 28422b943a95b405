using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using GraphNotifications.Tests.Infrastructure;
using GraphNotifications.Tests.Process;

namespace GraphNotifications.Tests.Hostile;

/// <summary>
/// Hostile headers sent to the real service over a socket, byte for byte: what Kestrel itself lets through (and
/// what it refuses to send back) is what these faults were about, and the in-process server checks neither.
/// </summary>
[Collection(ServiceProcessCollection.Name)]
public sealed class WireTests
{
    [Fact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task Hostile_client_request_ids_and_hosts_get_Graph_answers_from_the_real_server()
    {
        await using var service = await ServiceProcess.StartAsync();
        string token = TestTokens.Delegated("wire-user", "wire-app");

        // Found as: Kestrel refused to send the echoed client-request-id, and answered 500 with an empty body.
        foreach (byte[] clientRequestId in new[] { "a\x01b"u8.ToArray(), "caf\u00e9"u8.ToArray(), "a\x7fb"u8.ToArray(), Encoding.ASCII.GetBytes(new string('x', 10 * 1024)) })
        {
            var answer = await SendAsync(service, "GET", "/v1.0/me/notifications", [("Authorization", Encoding.ASCII.GetBytes("Bearer " + token)), ("client-request-id", clientRequestId)]);

            Assert.Equal(200, answer.Status);
            Assert.Equal(answer.Headers["request-id"], answer.Headers["client-request-id"]);
        }

        var kept = await SendAsync(service, "GET", "/v1.0/me/notifications", [("Authorization", Encoding.ASCII.GetBytes("Bearer " + token)), ("client-request-id", "3f0f8e4e-5d5b-4c55-9d4e-1f0c2a7b9a10"u8.ToArray())]);
        Assert.Equal("3f0f8e4e-5d5b-4c55-9d4e-1f0c2a7b9a10", kept.Headers["client-request-id"]);

        // Found as: a port Kestrel accepts but no URI can hold made every URL the service writes throw, a 500.
        // And punycode that does not decode, on which HttpRequest.Host itself throws.
        foreach (string host in new[] { "localhost:99999", "127.0.0.1:65536", "xn--" })
        {
            var answer = await SendAsync(service, "GET", "/v1.0/me/notifications", [("Authorization", Encoding.ASCII.GetBytes("Bearer " + token))], host);

            Assert.Equal(400, answer.Status);
            var error = JsonNode.Parse(answer.Body)!["error"]!;
            Assert.Equal("badRequest", error["code"]!.GetValue<string>());
            Assert.Equal(answer.Headers["request-id"], error["innerError"]!["request-id"]!.GetValue<string>());
        }
    }

    [Fact(Timeout = ServiceProcessCollection.TestTimeout)]
    public async Task A_parameter_alias_in_place_of_a_key_gets_a_Graph_answer_from_the_real_server()
    {
        await using var service = await ServiceProcess.StartAsync();

        // Found as: an empty 500, to anyone: the endpoint matcher threw before the Graph error handler ran.
        var answer = await SendAsync(service, "GET", "/v1.0/users/@u/notifications", []);

        Assert.Equal(400, answer.Status);
        var error = JsonNode.Parse(answer.Body)!["error"]!;
        Assert.Equal("badRequest", error["code"]!.GetValue<string>());
        Assert.Equal(answer.Headers["request-id"], error["innerError"]!["request-id"]!.GetValue<string>());
    }

    private sealed record Answer(int Status, Dictionary<string, string> Headers, string Body);

    /// <summary>One HTTP/1.1 request written byte for byte, and its answer read to the end (Connection: close).</summary>
    private static async Task<Answer> SendAsync(ServiceProcess service, string method, string target, (string Name, byte[] Value)[] headers, string? host = null)
    {
        var request = new List<byte>();
        request.AddRange(Encoding.ASCII.GetBytes($"{method} {target} HTTP/1.1\r\nHost: {host ?? service.BaseAddress.Authority}\r\nConnection: close\r\n"));
        foreach (var (name, value) in headers)
        {
            request.AddRange(Encoding.ASCII.GetBytes(name + ": "));
            request.AddRange(value);
            request.AddRange("\r\n"u8.ToArray());
        }

        request.AddRange("\r\n"u8.ToArray());

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = new TcpClient();
        await socket.ConnectAsync(service.BaseAddress.Host, service.BaseAddress.Port, bound.Token);
        var stream = socket.GetStream();
        await stream.WriteAsync(request.ToArray(), bound.Token);
        using var response = new MemoryStream();
        await stream.CopyToAsync(response, bound.Token);

        string text = Encoding.UTF8.GetString(response.ToArray());
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string[] head = text[..end].Split("\r\n");
        var fields = head.Skip(1).Select(line => line.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        string body = text[(end + 4)..];
        if (fields.TryGetValue("Transfer-Encoding", out string? encoding) && encoding == "chunked")
        {
            body = Dechunk(body);
        }

        return new Answer(int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), fields, body);
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        int at = 0;
        while (true)
        {
            int lineEnd = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            int size = Convert.ToInt32(chunked[at..lineEnd], 16);
            if (size == 0)
            {
                return body.ToString();
            }

            body.Append(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
