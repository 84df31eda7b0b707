using System.Collections.Immutable;
using Portal.Kubernetes.Cache;
using Portal.Kubernetes.Model;

namespace Portal.Web.Features.Workloads;

/// <summary>
/// A view's hold on a shared cache: it reads the cache's immutable snapshot and is told of changes through a
/// <see cref="RenderThrottle"/> (at once, then at most every <c>throttle</c>).
/// </summary>
public sealed class LiveCache<T> : IDisposable
    where T : KubeObject
{
    private readonly Lease<T> _lease;
    private readonly IDisposable _subscription;
    private readonly RenderThrottle _throttle;

    /// <param name="relevant">Which changes concern the view (its namespace, its pod); a re-list always does. The cache
    /// is cluster-wide, so without it a view would re-render for every change anywhere in the cluster.</param>
    public LiveCache(Lease<T> lease, Func<Task> changed, TimeSpan? throttle = null, Func<T, bool>? relevant = null)
    {
        _lease = lease;
        _throttle = new RenderThrottle(throttle ?? TimeSpan.FromMilliseconds(200), changed);
        _subscription = lease.Informer.Subscribe(change =>
        {
            if (change.Object is null || relevant is null || relevant(change.Object))
            {
                _throttle.Request();
            }
        });
        lease.Informer.HealthChanged += OnHealth;
    }

    public ImmutableDictionary<string, T> Items => _lease.Informer.Items;

    public InformerHealth Health => _lease.Informer.Health;

    public void Dispose()
    {
        _throttle.Stopped = true;
        _lease.Informer.HealthChanged -= OnHealth;
        _subscription.Dispose();
        _lease.Dispose();
    }

    private void OnHealth(InformerHealth health) => _throttle.Request();
}
