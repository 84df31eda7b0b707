using System.Runtime.CompilerServices;
using Portal.Kubernetes.Cache;
using Portal.Kubernetes.Model;

namespace Portal.Web.Features.Workloads;

/// <summary>
/// The pod rows of one namespace, kept current from the shared pod cache. Rows are computed once per pod object and
/// shared between every view (the cache's objects are immutable), so a view holds little more than an array.
/// </summary>
public sealed class PodRows : IDisposable
{
    private static readonly ConditionalWeakTable<Pod, PodRow> Computed = [];

    private readonly LiveCache<Pod> _cache;
    private readonly string _namespace;
    private readonly Func<Task> _changed;

    public PodRows(Lease<Pod> lease, string ns, Func<Task> changed)
    {
        _namespace = ns;
        _changed = changed;
        _cache = new LiveCache<Pod>(lease, () =>
        {
            Refresh();
            return _changed();
        }, relevant: p => p.Metadata.Namespace == ns);
        Refresh();
    }

    public IReadOnlyList<PodRow> Rows { get; private set; } = [];

    public bool Synced => _cache.Health.Synced;

    public InformerHealth Health => _cache.Health;

    public void Dispose() => _cache.Dispose();

    private void Refresh() =>
        Rows = [.. _cache.Items.Values.Where(p => p.Metadata.Namespace == _namespace).Select(p => Computed.GetValue(p, PodRow.From))];
}
