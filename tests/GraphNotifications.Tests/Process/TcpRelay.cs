using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace GraphNotifications.Tests.Process;

/// <summary>
/// A TCP relay on a loopback port to a server (PostgreSQL), which a test can cut, as a network partition or a server
/// that went away would, and restore on the same port. Cut, it listens no more (new connections are refused) and
/// drops the connections it carried.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly ConcurrentBag<TcpClient> _connections = [];
    private TcpListener? _listener;
    private CancellationTokenSource _cut = new();

    public TcpRelay(string targetHost, int targetPort)
    {
        _target = new IPEndPoint(Dns.GetHostAddresses(targetHost).First(a => a.AddressFamily == AddressFamily.InterNetwork), targetPort);
        Listen(port: 0);
    }

    /// <summary>The relay's port, the same after a restore.</summary>
    public int Port { get; private set; }

    public void Cut()
    {
        _cut.Cancel();
        _listener?.Stop();
        _listener = null;
        while (_connections.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    public void Restore()
    {
        _cut = new CancellationTokenSource();
        Listen(Port);
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }

    private void Listen(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync(_listener, _cut.Token);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cut)
    {
        while (!cut.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cut);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new TcpClient();
            _connections.Add(client);
            _connections.Add(server);
            _ = PipeAsync(client, server, cut);
        }
    }

    private async Task PipeAsync(TcpClient client, TcpClient server, CancellationToken cut)
    {
        try
        {
            await server.ConnectAsync(_target, cut);
            using var link = CancellationTokenSource.CreateLinkedTokenSource(cut);
            var up = client.GetStream().CopyToAsync(server.GetStream(), link.Token);
            var down = server.GetStream().CopyToAsync(client.GetStream(), link.Token);
            await Task.WhenAny(up, down);
            await link.CancelAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Cut, or one side closed: the other goes with it.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }
}
