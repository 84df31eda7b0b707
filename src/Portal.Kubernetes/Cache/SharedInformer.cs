using System.Collections.Immutable;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;

namespace Portal.Kubernetes.Cache;

/// <summary>A change the cache saw. <see cref="Reset"/>: the whole set was re-listed; read <see cref="SharedInformer{T}.Items"/> again.</summary>
public sealed record InformerChange<T>(string Type, T? Object)
    where T : KubeObject
{
    public static InformerChange<T> Reset { get; } = new("RESET", null);
}

/// <summary>Whether a cache is in step with its cluster, and if not, why and since when.</summary>
public sealed record InformerHealth(bool Synced, string? Error, DateTimeOffset? FailingSince);

/// <summary>
/// One list-and-watch of one resource (all namespaces) of one cluster, shared by every reader: it lists, watches from
/// the list's version (bookmarks keep its version current), re-lists after 410 Gone, reconnects with back-off when the
/// cluster is down or refuses it, and tells subscribers each change. Readers get immutable snapshots.
/// </summary>
public sealed class SharedInformer<T> : IAsyncDisposable
    where T : KubeObject
{
    private readonly KubernetesRestClient _client;
    private readonly ResourcePath _path;
    private readonly JsonTypeInfo<T> _type;
    private readonly JsonTypeInfo<KubeList<T>> _listType;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _subscribersGate = new();
    private ImmutableDictionary<string, T> _items = ImmutableDictionary<string, T>.Empty.WithComparers(StringComparer.Ordinal);
    private ImmutableArray<Action<InformerChange<T>>> _subscribers = [];
    private Task? _run;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SharedInformer(KubernetesRestClient client, ResourcePath path, JsonTypeInfo<T> type, JsonTypeInfo<KubeList<T>> listType, TimeProvider clock, ILogger logger)
    {
        _client = client;
        _path = path;
        _type = type;
        _listType = listType;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Every object, as of the last change (an immutable snapshot: safe to keep and enumerate).</summary>
    public ImmutableDictionary<string, T> Items => Volatile.Read(ref _items);

    public InformerHealth Health { get; private set; } = new(false, null, null);

    /// <summary>Called after each change was applied to <see cref="Items"/>; on the informer's thread, so keep it short.</summary>
    public event Action<InformerHealth>? HealthChanged;

    public static string Key(KubeObject o) => o.Metadata.Namespace is { Length: > 0 } ns ? $"{ns}/{o.Metadata.Name}" : o.Metadata.Name ?? "";

    public void Start() => _run ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Completes once the first list has arrived (or when <paramref name="ct"/> gives up).</summary>
    public Task WaitForSyncAsync(CancellationToken ct) => _synced.Task.WaitAsync(ct);

    public IDisposable Subscribe(Action<InformerChange<T>> onChange)
    {
        lock (_subscribersGate)
        {
            _subscribers = _subscribers.Add(onChange);
        }

        return new Subscription(() =>
        {
            lock (_subscribersGate)
            {
                _subscribers = _subscribers.Remove(onChange);
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            try
            {
                await _run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        var expiries = 0;
        string? version = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (version is null)
                {
                    var (items, listVersion) = await _client.ListWithVersionAsync(_path, _listType, ct);
                    Volatile.Write(ref _items, items.ToImmutableDictionary(Key, i => i, StringComparer.Ordinal));
                    version = listVersion;
                    SetHealth(new InformerHealth(true, null, null));
                    _synced.TrySetResult();
                    Notify(InformerChange<T>.Reset);
                }

                await foreach (var e in _client.WatchAsync(_path, _type, version, ct: ct))
                {
                    failures = 0;
                    expiries = 0;
                    if (e.Object?.Metadata.ResourceVersion is { Length: > 0 } rv)
                    {
                        version = rv;
                    }

                    if (e.Type == "BOOKMARK" || e.Object is null)
                    {
                        continue;
                    }

                    var key = Key(e.Object);
                    var next = e.Type == "DELETED" ? Items.Remove(key) : Items.SetItem(key, e.Object);
                    Volatile.Write(ref _items, next);
                    Notify(new InformerChange<T>(e.Type, e.Object));
                }

                // The server ended the watch (its timeout): watch again from where we are.
            }
            catch (KubernetesApiException ex) when (ex.IsExpired)
            {
                // Normal now and then (the server compacted its history); back to back, a sign of heavy churn, so
                // each consecutive one waits a little longer before listing again.
                expiries++;
                _logger.LogDebug("Watch of {Path} expired ({Message}); listing again", _path, ex.ApiMessage);
                version = null;
                if (expiries > 1)
                {
                    try
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * Math.Pow(2, Math.Min(expiries - 2, 6)))), _clock, ct);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // Whatever went wrong (the cluster, the network, credentials, a malformed event), the cache reports
                // it, waits, and starts again with a fresh list: it never stops for good.
                failures++;
                var message = ClusterErrors.Describe(ex);
                SetHealth(new InformerHealth(false, message, Health.FailingSince ?? _clock.GetUtcNow()));
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 500 * Math.Pow(2, Math.Min(failures - 1, 6))));
                _logger.LogWarning("Watching {Path} failed ({Message}); retrying in {Delay}", _path, message, delay);

                // After a failure the next attempt lists afresh: changes may have been missed meanwhile.
                version = null;
                try
                {
                    await Task.Delay(delay, _clock, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void SetHealth(InformerHealth health)
    {
        if (health == Health)
        {
            return;
        }

        Health = health;
        HealthChanged?.Invoke(health);
    }

    private void Notify(InformerChange<T> change)
    {
        foreach (var subscriber in _subscribers)
        {
            try
            {
                subscriber(change);
            }
            catch (Exception ex)
            {
                // One reader's failure must not stop the others (or the cache).
                _logger.LogWarning(ex, "A subscriber of {Path} failed", _path);
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}

/// <summary>One wording for a cluster's failures, for logs, banners and /readyz alike.</summary>
public static class ClusterErrors
{
    public static string Describe(Exception ex) => ex switch
    {
        KubernetesApiException { StatusCode: System.Net.HttpStatusCode.Unauthorized } => "the cluster refused Portal's credentials (401 Unauthorized)",
        KubernetesApiException { StatusCode: System.Net.HttpStatusCode.Forbidden } k => $"Portal may not read this ({k.ApiMessage})",
        KubernetesApiException { StatusCode: System.Net.HttpStatusCode.GatewayTimeout, Reason: "Timeout" } k => $"the cluster did not answer in time ({k.ApiMessage})",
        KubernetesApiException k => $"the cluster answered {(int)k.StatusCode} {k.Reason ?? k.StatusCode.ToString()}: {k.ApiMessage}",
        HttpRequestException { InnerException: System.Security.Authentication.AuthenticationException } => "the cluster's TLS certificate is not trusted",
        HttpRequestException { InnerException: Connection.ExecCredentialException e } => $"Portal could not get credentials for the cluster: {e.Message}",
        HttpRequestException { InnerException: Connection.TokenFileException } => "Portal could not read its token file for the cluster",
        HttpRequestException h => $"the cluster cannot be reached ({h.HttpRequestError})",
        TimeoutException t => $"the cluster did not answer in time ({t.Message})",
        OperationCanceledException => "the cluster did not answer in time",
        System.Text.Json.JsonException => "the cluster answered something Portal could not read",
        _ => $"the cluster could not be used ({ex.GetType().Name})",
    };
}
