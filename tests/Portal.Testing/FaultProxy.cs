using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portal.Testing;

/// <summary>How a <see cref="FaultProxy"/> treats the connections it accepts.</summary>
public enum FaultMode
{
    /// <summary>Bytes are forwarded both ways untouched (TLS included).</summary>
    Pass,

    /// <summary>Connections are reset at once, as when the dependency's host is up but nothing listens.</summary>
    Refuse,

    /// <summary>Connections are accepted and read, but nothing is forwarded or answered: the client times out.</summary>
    Hang,

    /// <summary>Bytes are forwarded, each chunk only after <see cref="FaultProxy.Delay"/>.</summary>
    Slow,

    /// <summary>Every request on a new connection is answered with <see cref="FaultProxy.ErrorResponse"/> (plain HTTP only).</summary>
    HttpError,
}

/// <summary>
/// A loopback TCP proxy between the portal and one dependency, whose behaviour a test switches while users work.
/// It works at the TCP level so the portal's real clients (HttpClient, Npgsql, TLS) see real resets, stalls and
/// error answers rather than a mocked interface; the dependency itself stays healthy behind it.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly string DefaultErrorResponse = HttpResponse(503, "Service Unavailable", "text/plain", "service unavailable", close: true);

    private readonly TcpListener _listener;
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Connection, byte> _connections = new();
    private readonly Task _acceptLoop;
    private readonly Lock _modeLock = new();
    private FaultMode _mode;
    private int _accepted;

    private FaultProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Starts a proxy on a free 127.0.0.1 port that forwards to <paramref name="targetHost"/>:<paramref name="targetPort"/>.</summary>
    public static FaultProxy Start(string targetHost, int targetPort) => new(targetHost, targetPort);

    /// <summary>The loopback port the portal should connect to instead of the dependency's.</summary>
    public int Port { get; }

    /// <summary>
    /// The behaviour for new connections. Switching to a fault closes every connection open at that moment, so
    /// pooled keep-alive connections cannot slip past the fault; switching back to <see cref="FaultMode.Pass"/>
    /// closes only the faulty ones (hung, slow, erroring) and leaves healthy pass-through connections alone.
    /// </summary>
    public FaultMode Mode
    {
        get { lock (_modeLock) { return _mode; } }
        set
        {
            lock (_modeLock)
            {
                if (_mode == value) return;
                _mode = value;
            }
            foreach (var connection in _connections.Keys)
            {
                if (value != FaultMode.Pass || connection.Mode != FaultMode.Pass) connection.Close();
            }
        }
    }

    /// <summary>For <see cref="FaultMode.Slow"/>: the wait before each forwarded chunk (default 30 s).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// For <see cref="FaultMode.HttpError"/>: the raw HTTP/1.1 response (status line, headers, blank line, body)
    /// written for every request. Only meaningful for plain-HTTP targets; a TLS client would see garbage.
    /// </summary>
    public string ErrorResponse { get; set; } = DefaultErrorResponse;

    /// <summary>A raw HTTP/1.1 response for <see cref="ErrorResponse"/>: status line, content type and length, the body.</summary>
    public static string HttpResponse(int status, string reason, string contentType, string body, bool close = false) =>
        $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n{(close ? "Connection: close\r\n" : "")}\r\n{body}";

    /// <summary>How many connections were accepted so far: lets a test prove the client actually came through.</summary>
    public int AcceptedConnections => Volatile.Read(ref _accepted);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (var connection in _connections.Keys) connection.Close();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
            // Stopping is the expected way out of the accept loop.
        }
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            var mode = Mode;
            if (mode == FaultMode.Refuse)
            {
                // Reset at once, before any byte is read: linger 0 makes Close send RST, as close to a dead listener's
                // refusal as an accepted connection gets (and the moment HttpClient copes with worst, see ConnectionErrorHandler).
                client.LingerState = new LingerOption(true, 0);
                client.Close();
                continue;
            }

            var connection = new Connection(client, mode, _stopping.Token);
            _connections.TryAdd(connection, 0);
            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Connection connection)
    {
        try
        {
            switch (connection.Mode)
            {
                case FaultMode.Hang:
                    await DrainAsync(connection.Client, connection.Token);
                    break;
                case FaultMode.HttpError:
                    await AnswerWithErrorAsync(connection);
                    break;
                default:
                    await ForwardAsync(connection, connection.Mode == FaultMode.Slow ? Delay : TimeSpan.Zero);
                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // A closed connection on either side ends the conversation; the client observes it as the fault.
        }
        finally
        {
            connection.Close();
            _connections.TryRemove(connection, out _);
        }
    }

    private static async Task DrainAsync(Socket socket, CancellationToken token)
    {
        var buffer = new byte[8192];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, token) > 0)
        {
            // Read and discard, so the client's send never blocks and it waits for an answer that never comes.
        }
    }

    private async Task AnswerWithErrorAsync(Connection connection)
    {
        var response = Encoding.ASCII.GetBytes(ErrorResponse);
        var buffer = new byte[16384];
        var pending = new List<byte>();
        while (true)
        {
            var read = await connection.Client.ReceiveAsync(buffer, SocketFlags.None, connection.Token);
            if (read == 0) return;
            pending.AddRange(buffer.AsSpan(0, read));
            // Answer each complete request head; a body announced by Content-Length is skipped before the next head.
            while (TryTakeRequest(pending))
            {
                await connection.Client.SendAsync(response, SocketFlags.None, connection.Token);
                if (ErrorResponse.Contains("Connection: close", StringComparison.OrdinalIgnoreCase))
                {
                    connection.Client.Shutdown(SocketShutdown.Send);
                    await DrainAsync(connection.Client, connection.Token);
                    return;
                }
            }
        }
    }

    private static bool TryTakeRequest(List<byte> pending)
    {
        var text = Encoding.ASCII.GetString(pending.ToArray());
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headEnd < 0) return false;
        var bodyLength = 0;
        foreach (var line in text[..headEnd].Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(line["Content-Length:".Length..].Trim(), out var length))
            {
                bodyLength = length;
            }
        }
        var total = headEnd + 4 + bodyLength;
        if (pending.Count < total) return false;
        pending.RemoveRange(0, total);
        return true;
    }

    private async Task ForwardAsync(Connection connection, TimeSpan delay)
    {
        using var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        connection.Upstream = upstream;
        await upstream.ConnectAsync(_targetHost, _targetPort, connection.Token);
        var toTarget = PumpAsync(connection.Client, upstream, delay, connection.Token);
        var toClient = PumpAsync(upstream, connection.Client, delay, connection.Token);
        // Either side closing ends both: half-open pass-through is not worth modelling for these tests.
        await Task.WhenAny(toTarget, toClient);
    }

    private static async Task PumpAsync(Socket from, Socket to, TimeSpan delay, CancellationToken token)
    {
        var buffer = new byte[16384];
        int read;
        while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, token)) > 0)
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, token);
            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, token);
        }
    }

    /// <summary>One accepted client connection, with the mode it was accepted under and its upstream, if any.</summary>
    private sealed class Connection(Socket client, FaultMode mode, CancellationToken stopping)
    {
        private readonly CancellationTokenSource _closed = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        private int _isClosed;

        public Socket Client { get; } = client;
        public FaultMode Mode { get; } = mode;
        public Socket? Upstream { get; set; }
        public CancellationToken Token => _closed.Token;

        public void Close()
        {
            if (Interlocked.Exchange(ref _isClosed, 1) == 1) return;
            try
            {
                _closed.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The proxy's own token source is already gone: nothing left to cancel.
            }
            Client.Dispose();
            Upstream?.Dispose();
        }
    }
}
