using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Api;

/// <summary>
/// A switch that makes the sandbox's API server fail as a real kube-apiserver does when etcd is down or it sheds
/// load: resource requests answer a <c>Status</c> with the chosen code and reason (and <c>Retry-After</c> when
/// given, as API Priority and Fairness sends with 429), open watches end, while <c>/version</c> and the health
/// endpoints keep answering (they need no storage). Portal's fault tests use it for "the cluster is erroring".
/// </summary>
public sealed class ApiFault
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _tripped = new();
    private Failure? _failure;

    /// <summary>
    /// From now on resource requests fail with <paramref name="code"/>; requests in flight (watches, above all) are
    /// ended, so every client sees the failure on its next call.
    /// </summary>
    public void Fail(HttpStatusCode code, string reason, string message, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan((int)code, 400);
        CancellationTokenSource previous;
        lock (_gate)
        {
            _failure = new Failure(code, reason, message, retryAfter);
            previous = _tripped;
            _tripped = new CancellationTokenSource();
        }

        previous.Cancel();
        previous.Dispose();
    }

    /// <summary>Serves normally again.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _failure = null;
        }
    }

    /// <summary>The middleware: answers the failure, or runs the request with a token the next <see cref="Fail"/> cancels.</summary>
    internal async Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        Failure? failure;
        CancellationToken tripped;
        lock (_gate)
        {
            failure = _failure;
            tripped = _tripped.Token;
        }

        var path = http.Request.Path.Value ?? "";
        var resource = path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/apis/", StringComparison.Ordinal);
        if (!resource)
        {
            await next();
            return;
        }

        if (failure is not null)
        {
            if (failure.RetryAfter is { } wait)
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            await KubeApiHandler.WriteAsync(http, failure.Code, StatusError.Status(failure.Code, failure.Reason, failure.Message));
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, tripped);
        http.RequestAborted = linked.Token;
        try
        {
            await next();
        }
        catch (OperationCanceledException) when (tripped.IsCancellationRequested)
        {
            // The fault was switched on mid-request: drop the connection, as an API server going down does.
            http.Abort();
        }
    }

    /// <summary>One failure: the HTTP status, the Status reason and message, and the optional Retry-After.</summary>
    public sealed record Failure(HttpStatusCode Code, string Reason, string Message, TimeSpan? RetryAfter);
}
