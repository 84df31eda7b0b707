using System.Collections.Immutable;
using Portal.Kubernetes.Cache;
using Portal.Kubernetes.Model;

namespace Portal.Web.Features.Workloads;

/// <summary>
/// A view's hold on a shared cache: it reads the cache's immutable snapshot and is told of changes at most every
/// <c>throttle</c> (a burst of a thousand pod changes is one re-render), on the component's own dispatcher.
/// </summary>
public sealed class LiveCache<T> : IDisposable
    where T : KubeObject
{
    private readonly Lease<T> _lease;
    private readonly IDisposable _subscription;
    private readonly Func<Task> _changed;
    private readonly TimeSpan _throttle;
    private int _scheduled;
    private bool _disposed;

    public LiveCache(Lease<T> lease, Func<Task> changed, TimeSpan? throttle = null)
    {
        _lease = lease;
        _changed = changed;
        _throttle = throttle ?? TimeSpan.FromMilliseconds(200);
        _subscription = lease.Informer.Subscribe(_ => Schedule());
        lease.Informer.HealthChanged += OnHealth;
    }

    public ImmutableDictionary<string, T> Items => _lease.Informer.Items;

    public InformerHealth Health => _lease.Informer.Health;

    public Task WaitForSyncAsync(CancellationToken ct) => _lease.Informer.WaitForSyncAsync(ct);

    public void Dispose()
    {
        _disposed = true;
        _lease.Informer.HealthChanged -= OnHealth;
        _subscription.Dispose();
        _lease.Dispose();
    }

    private void OnHealth(InformerHealth health) => Schedule();

    private void Schedule()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            await Task.Delay(_throttle);
            Interlocked.Exchange(ref _scheduled, 0);
            if (!_disposed)
            {
                await _changed();
            }
        });
    }
}
