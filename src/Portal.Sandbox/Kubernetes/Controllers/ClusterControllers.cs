using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Controllers;

/// <summary>
/// The control loop that makes the store behave like a cluster: it wakes on every change and on a short tick, and
/// runs the controllers in the order a change flows through them (namespaces, garbage collection, deployments,
/// replica sets, the scheduler, the kubelets, volume binding, quota status, event expiry).
/// </summary>
public sealed class ClusterControllers : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly SandboxTimings _timings;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<(string Name, Action Run)> _controllers;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private readonly GarbageCollector _collector;
    private int _pendingWake;
    private int _deletions;
    private DateTimeOffset _lastCollection;
    private int _disposed;

    public ClusterControllers(ObjectStore store, SandboxTimings timings, ILogger logger)
    {
        _store = store;
        _timings = timings;
        _logger = logger;
        var events = new EventRecorder(store);
        var kubelet = new Kubelet(store, events, timings);
        _controllers =
        [
            ("namespace", new NamespaceController(store).Reconcile),
            ("garbage-collector", CollectGarbage),
            ("deployment", new DeploymentController(store, events).Reconcile),
            ("replicaset", new ReplicaSetController(store, events, timings).Reconcile),
            ("scheduler", new Scheduler(store, events, timings).Reconcile),
            ("kubelet", kubelet.Reconcile),
            ("persistentvolume-binder", new VolumeBinder(store, events).Reconcile),
            ("resourcequota", new QuotaController(store).Reconcile),
            ("event-ttl", new EventTtlController(store).Reconcile),
        ];
        _collector = new GarbageCollector(store);
        store.Changed += e =>
        {
            if (e.Type == "DELETED" || J.IsTerminating(e.Object))
            {
                Interlocked.Exchange(ref _deletions, 1);
            }

            if (Interlocked.Exchange(ref _pendingWake, 1) == 0)
            {
                _wake.Release();
            }
        };
    }

    /// <summary>
    /// The garbage collector scans every object, so it runs when something was deleted (or is being deleted) since
    /// its last pass, and otherwise every few seconds: thousands of steady pods do not cost a full scan per tick.
    /// </summary>
    private void CollectGarbage()
    {
        var now = _store.Clock.GetUtcNow();
        if (Interlocked.Exchange(ref _deletions, 0) == 0 && now - _lastCollection < TimeSpan.FromSeconds(5))
        {
            return;
        }

        _lastCollection = now;
        _collector.Reconcile();
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>One pass of every controller (tests drive the cluster with this and a fake clock).</summary>
    public void ReconcileOnce()
    {
        foreach (var (name, run) in _controllers)
        {
            try
            {
                run();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A controller's failure is logged and retried on the next pass, as controller-manager does.
                _logger.LogWarning(ex, "Sandbox controller {Controller} failed; retrying on the next pass", name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_timings.Tick, ct);
                Interlocked.Exchange(ref _pendingWake, 0);
                ReconcileOnce();

                // Changes made by this pass wake the next one at once; a short pause lets bursts coalesce.
                await Task.Delay(TimeSpan.FromMilliseconds(10), ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
