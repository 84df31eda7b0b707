using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Portal.Testing;

/// <summary>
/// A stand-in for an external HTTP service on a loopback port (STYLE.md, habit 4): it records every request as it
/// arrived on the wire and answers with whatever the test's <see cref="Responder"/> returns, held back by the reply's
/// delay. A fake says only how it records a request and how it writes a reply.
/// </summary>
public abstract class RecordingServer<TRequest, TReply> : IAsyncDisposable
{
    private readonly ConcurrentQueue<TRequest> _requests = new();
    private WebApplication? _app;

    protected RecordingServer(Func<TRequest, TReply> responder) => Responder = responder;

    public Uri Url { get; private set; } = default!;

    public Func<TRequest, TReply> Responder { get; set; }

    public IReadOnlyList<TRequest> Requests => [.. _requests];

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>Starts <paramref name="fake"/> on a free 127.0.0.1 port.</summary>
    protected static async Task<TFake> StartAsync<TFake>(TFake fake)
        where TFake : RecordingServer<TRequest, TReply>
    {
        var (app, url) = await LoopbackServer.StartAsync(a => a.Run(fake.HandleAsync));
        (fake._app, fake.Url) = (app, new Uri(url));
        return fake;
    }

    /// <summary>The request as the fake's tests read it: headers case-insensitive, the body as text.</summary>
    protected abstract TRequest Record(string method, string path, string query, IReadOnlyDictionary<string, string> headers, string body);

    protected abstract TimeSpan DelayOf(TReply reply);

    protected abstract Task WriteAsync(HttpContext context, TRequest request, TReply reply);

    private async Task HandleAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = Record(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, body);
        _requests.Enqueue(recorded);
        var reply = Responder(recorded);
        if (await DelayAsync(context, DelayOf(reply)))
        {
            await WriteAsync(context, recorded, reply);
        }
    }

    /// <summary>Holds a reply back by <paramref name="delay"/>; false when the client gave up meanwhile (nothing to answer).</summary>
    private static async Task<bool> DelayAsync(HttpContext context, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await Task.Delay(delay, context.RequestAborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
