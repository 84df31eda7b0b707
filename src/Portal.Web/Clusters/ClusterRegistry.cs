using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Portal.Kubernetes.Cache;
using Portal.Kubernetes.Connection;
using Portal.Kubernetes.Rest;

namespace Portal.Web.Clusters;

/// <summary>One cluster Portal talks to: its REST client, its shared caches, and whether it answers.</summary>
public sealed class ClusterClient(string name, KubernetesRestClient rest, ClusterCache cache, HttpClient http, TimeProvider clock) : IAsyncDisposable
{
    private readonly SemaphoreSlim _probeGate = new(1, 1);
    private (DateTimeOffset At, string? Error) _probe = (DateTimeOffset.MinValue, null);
    private DateTimeOffset? _failingSince;

    public string Name { get; } = name;

    public KubernetesRestClient Rest { get; } = rest;

    public ClusterCache Cache { get; } = cache;

    /// <summary>
    /// The cluster's condition: a failing cache (it reports the reason) or a failed probe of <c>/version</c> (asked at
    /// most every few seconds, with a short deadline). Null error: healthy.
    /// </summary>
    public async Task<ClusterCondition> ConditionAsync(CancellationToken ct)
    {
        var failing = Cache.Health.FirstOrDefault(h => h.Error is not null);
        if (failing is not null)
        {
            return new ClusterCondition(Name, failing.Error, failing.FailingSince);
        }

        await _probeGate.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            if (now - _probe.At > TimeSpan.FromSeconds(5))
            {
                string? error = null;
                try
                {
                    using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    cts.CancelAfter(TimeSpan.FromSeconds(3));
                    await Rest.VersionAsync(cts.Token);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    // Never thrown on: a page's banner and /readyz ask this, and must get an answer, not a crash.
                    error = ClusterErrors.Describe(ex);
                }

                _failingSince = error is null ? null : _failingSince ?? now;
                _probe = (now, error);
            }

            return new ClusterCondition(Name, _probe.Error, _failingSince);
        }
        finally
        {
            _probeGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cache.DisposeAsync();
        http.Dispose();
        _probeGate.Dispose();
    }
}

/// <summary>Whether a cluster answers; <see cref="Error"/> says why not, for the banner and /readyz.</summary>
public sealed record ClusterCondition(string Cluster, string? Error, DateTimeOffset? FailingSince)
{
    public bool Healthy => Error is null;
}

/// <summary>
/// The clusters by name: the configured ones (kubeconfig or in-cluster) and the sandbox when it runs. Connections
/// are made on first use and kept; each has one <see cref="ClusterCache"/>.
/// </summary>
public sealed class ClusterRegistry(IOptions<KubernetesOptions> options, SandboxClusterHost sandbox, TimeProvider clock, ILoggerFactory loggers)
    : IAsyncDisposable, Portal.Kubernetes.Provisioning.IKubernetesClients
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ClusterClient>>> _clients = new(StringComparer.Ordinal);
    private readonly ExecCredentialProvider _exec = new(clock);

    public IReadOnlyList<string> Names =>
        [.. options.Value.Clusters.Keys.Concat(sandbox.Enabled ? [sandbox.Name] : []).Order(StringComparer.Ordinal)];

    public bool IsKnown(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>The cluster named <paramref name="name"/>, or null when Portal has no such cluster configured.</summary>
    public async Task<ClusterClient?> GetAsync(string name, CancellationToken ct)
    {
        if (!IsKnown(name))
        {
            return null;
        }

        var lazy = _clients.GetOrAdd(name, n => new Lazy<Task<ClusterClient>>(() => ConnectAsync(n)));
        try
        {
            return await lazy.Value.WaitAsync(ct);
        }
        catch (Exception ex) when (lazy.Value.IsFaulted)
        {
            // Not connected (an in-cluster setting outside a cluster, a sandbox that failed to start): tried again
            // next time, and reported as the cluster being unavailable, not as a crash.
            _clients.TryRemove(KeyValuePair.Create(name, lazy));
            throw new Portal.Core.Actions.DependencyUnavailableException($"Portal cannot connect to cluster '{name}': {ex.Message}", ex);
        }
    }

    async Task<KubernetesRestClient> Portal.Kubernetes.Provisioning.IKubernetesClients.ClientForAsync(string cluster, CancellationToken ct) =>
        (await GetAsync(cluster, ct))?.Rest
        ?? throw new Portal.Core.Actions.DependencyUnavailableException($"Portal has no cluster named '{cluster}'.");

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _clients.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
        {
            await lazy.Value.Result.DisposeAsync();
        }
    }

    private async Task<ClusterClient> ConnectAsync(string name)
    {
        ClusterConnection connection;
        if (options.Value.Clusters.TryGetValue(name, out var settings))
        {
            connection = settings.InCluster
                ? InClusterConfig.Load()
                : KubeconfigLoader.Load(settings.Kubeconfig!, string.IsNullOrWhiteSpace(settings.Context) ? null : settings.Context);
        }
        else
        {
            var cluster = await sandbox.Started ?? throw new InvalidOperationException("The sandbox cluster is not running.");
            connection = KubeconfigLoader.Load(cluster.KubeconfigPath);
        }

        var http = ClusterHttp.CreateClient(connection, _exec);
        var rest = new KubernetesRestClient(http) { RequestTimeout = options.Value.RequestTimeout };
        return new ClusterClient(name, rest, new ClusterCache(rest, clock, loggers), http, clock);
    }
}
