using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Portal.Kubernetes.Tests.Sandbox;

/// <summary>
/// A plain-HTTP loopback proxy in front of a sandbox (it adds the sandbox's credentials), for what a healthy API
/// server will not do on request: answer 503 for a while, end the watches it is serving, or hold new ones back.
/// </summary>
public sealed class SandboxProxy : IAsyncDisposable
{
    private readonly HttpClient _upstream;
    private WebApplication _app = default!;
    private CancellationTokenSource _watches = new();
    private TaskCompletionSource? _held;
    private int _openWatches;

    private SandboxProxy(HttpClient upstream) => _upstream = upstream;

    public string Url { get; private set; } = "";

    /// <summary>While set, every request is answered 503 with a body that is not a Status, as a load balancer would.</summary>
    public bool Unavailable { get; set; }

    /// <summary>Method and path with query of every request, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public int OpenWatches => Volatile.Read(ref _openWatches);

    public IEnumerable<string> WatchRequests => Requests.Where(r => r.Contains("watch=true", StringComparison.Ordinal));

    public IEnumerable<string> ListRequests => Requests.Where(r => r.StartsWith("GET ", StringComparison.Ordinal) && !r.Contains("watch=true", StringComparison.Ordinal));

    public static async Task<SandboxProxy> StartAsync(HttpClient upstream)
    {
        var proxy = new SandboxProxy(upstream);
        (proxy._app, proxy.Url) = await Portal.Testing.LoopbackServer.StartAsync(app => app.Run(proxy.ForwardAsync));
        return proxy;
    }

    /// <summary>Ends every watch being served now (the client sees its stream end, as after a server timeout).</summary>
    public void EndWatches() => Interlocked.Exchange(ref _watches, new CancellationTokenSource()).Cancel();

    /// <summary>New watches wait until <see cref="ReleaseWatches"/>.</summary>
    public void HoldWatches() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseWatches() => Interlocked.Exchange(ref _held, null)?.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        ReleaseWatches();
        EndWatches();
        await _app.DisposeAsync();
    }

    private async Task ForwardAsync(HttpContext http)
    {
        var target = $"{http.Request.Path}{http.Request.QueryString}";
        Requests.Enqueue($"{http.Request.Method} {target}");
        if (Unavailable)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await http.Response.WriteAsync("<html>upstream unavailable</html>");
            return;
        }

        var isWatch = http.Request.Query["watch"] == "true";
        if (isWatch && Volatile.Read(ref _held) is { } held)
        {
            await held.Task.WaitAsync(http.RequestAborted);
        }

        using var cut = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, isWatch ? _watches.Token : CancellationToken.None);
        using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), target.TrimStart('/'));
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(http.Request.Body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", http.Request.ContentType);
        }

        if (isWatch)
        {
            Interlocked.Increment(ref _openWatches);
        }

        try
        {
            using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cut.Token);
            http.Response.StatusCode = (int)response.StatusCode;
            http.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            await using var body = await response.Content.ReadAsStreamAsync(cut.Token);
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, cut.Token)) > 0)
            {
                await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), cut.Token);
                await http.Response.Body.FlushAsync(cut.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Cut by the test, or the client went away: the response just ends.
        }
        finally
        {
            if (isWatch)
            {
                Interlocked.Decrement(ref _openWatches);
            }
        }
    }
}
