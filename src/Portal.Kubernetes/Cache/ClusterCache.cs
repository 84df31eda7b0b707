using System.Collections.Concurrent;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;

namespace Portal.Kubernetes.Cache;

/// <summary>
/// The shared caches of one cluster: one <see cref="SharedInformer{T}"/> per resource kind, started by the first
/// reader and stopped a while after the last one leaves, so a hundred open tabs cost one watch per kind.
/// </summary>
public sealed class ClusterCache(KubernetesRestClient client, TimeProvider clock, ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>How long an informer lingers without readers before its watch stops.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How many watches are running (for the memory and fan-out checks).</summary>
    public int ActiveInformers => _entries.Count;

    public IEnumerable<InformerHealth> Health => _entries.Values.Select(e => e.Health());

    /// <summary>A reader's hold on the cache of <typeparamref name="T"/>; dispose it when the view closes.</summary>
    public Lease<T> Acquire<T>(ResourcePath path, JsonTypeInfo<T> type, JsonTypeInfo<KubeList<T>> listType)
        where T : KubeObject
    {
        var key = $"{path}#{typeof(T).Name}";
        lock (_gate)
        {
            var entry = _entries.GetOrAdd(key, _ =>
            {
                var informer = new SharedInformer<T>(client, path, type, listType, clock, loggers.CreateLogger($"Portal.Kubernetes.Cache.{typeof(T).Name}"));
                informer.Start();
                return new Entry(informer, () => informer.Health, informer.DisposeAsync);
            });
            entry.Readers++;
            entry.StopTimer?.Dispose();
            entry.StopTimer = null;
            return new Lease<T>((SharedInformer<T>)entry.Informer, () => Release(key));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in _entries.Values)
        {
            entry.StopTimer?.Dispose();
            await entry.Dispose();
        }

        _entries.Clear();
    }

    private void Release(string key)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry) || --entry.Readers > 0)
            {
                return;
            }

            entry.StopTimer = clock.CreateTimer(_ => Stop(key, entry), null, Linger, Timeout.InfiniteTimeSpan);
        }
    }

    private void Stop(string key, Entry entry)
    {
        lock (_gate)
        {
            if (entry.Readers > 0 || !_entries.TryRemove(KeyValuePair.Create(key, entry)))
            {
                return;
            }

            entry.StopTimer?.Dispose();
            entry.StopTimer = null;
        }

        _ = entry.Dispose().AsTask();
    }

    private sealed class Entry(object informer, Func<InformerHealth> health, Func<ValueTask> dispose)
    {
        public object Informer { get; } = informer;

        public int Readers { get; set; }

        public ITimer? StopTimer { get; set; }

        public Func<InformerHealth> Health { get; } = health;

        public Func<ValueTask> Dispose { get; } = dispose;
    }
}

/// <summary>A hold on a shared informer: read its items, subscribe to changes, dispose when done.</summary>
public sealed class Lease<T>(SharedInformer<T> informer, Action release) : IDisposable
    where T : KubeObject
{
    private Action? _release = release;

    public SharedInformer<T> Informer { get; } = informer;

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
