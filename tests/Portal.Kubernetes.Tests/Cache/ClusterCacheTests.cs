using Microsoft.Extensions.Logging.Abstractions;
using Portal.Kubernetes.Cache;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;
using Portal.Kubernetes.Tests.Sandbox;

namespace Portal.Kubernetes.Tests.Cache;

public sealed class ClusterCacheTests : IAsyncLifetime
{
    private static readonly ResourcePath ConfigMaps = new("", "v1", "configmaps");
    private ProxiedSandbox _proxied = default!;

    private SandboxProxy Proxy => _proxied.Proxy;

    private HttpClient ViaProxy => _proxied.ViaProxy;

    public async Task InitializeAsync() => _proxied = await ProxiedSandbox.StartAsync();

    public async Task DisposeAsync() => await _proxied.DisposeAsync();

    private ClusterCache NewCache(TimeSpan linger) => new(new KubernetesRestClient(ViaProxy), TimeProvider.System, NullLoggerFactory.Instance) { Linger = linger };

    private static Lease<ConfigMap> Acquire(ClusterCache cache, ResourcePath? path = null) =>
        cache.Acquire(path ?? ConfigMaps, KubernetesJson.Default.ConfigMap, KubernetesJson.Default.KubeListConfigMap);

    [Fact]
    public async Task Acquire_TwoReaders_ShareOneInformerAndOneWatch()
    {
        await using var cache = NewCache(TimeSpan.FromMinutes(1));

        using var first = Acquire(cache);
        using var second = Acquire(cache);
        await first.Informer.WaitForSyncAsync(CancellationToken.None);
        await RunningSandbox.EventuallyAsync(() => Proxy.OpenWatches == 1, "the informer watches");

        second.Informer.ShouldBeSameAs(first.Informer);
        cache.ActiveInformers.ShouldBe(1);
        Proxy.ListRequests.Count().ShouldBe(1);
        Proxy.WatchRequests.Count().ShouldBe(1);
    }

    [Fact]
    public async Task Acquire_AnotherResource_GetsItsOwnInformer()
    {
        await using var cache = NewCache(TimeSpan.FromMinutes(1));

        using var all = Acquire(cache);
        using var oneNamespace = Acquire(cache, ConfigMaps.In(RunningSandbox.Ns));

        oneNamespace.Informer.ShouldNotBeSameAs(all.Informer);
        cache.ActiveInformers.ShouldBe(2);
    }

    [Fact]
    public async Task Release_ByEveryReader_StopsTheInformerAfterTheLinger()
    {
        var linger = TimeSpan.FromMilliseconds(300);
        await using var cache = NewCache(linger);
        var first = Acquire(cache);
        var second = Acquire(cache);
        await first.Informer.WaitForSyncAsync(CancellationToken.None);
        await RunningSandbox.EventuallyAsync(() => Proxy.OpenWatches == 1, "the informer watches");

        first.Dispose();
        first.Dispose();
        await Task.Delay(linger * 3);
        cache.ActiveInformers.ShouldBe(1, "the second reader still holds it (and a lease released twice counts once)");
        Proxy.OpenWatches.ShouldBe(1);

        second.Dispose();
        await RunningSandbox.EventuallyAsync(() => cache.ActiveInformers == 0 && Proxy.OpenWatches == 0, "the informer stops and closes its watch");
    }

    [Fact]
    public async Task Acquire_WithinTheLinger_KeepsTheSameInformerRunning()
    {
        await using var cache = NewCache(TimeSpan.FromMinutes(1));
        var first = Acquire(cache);
        await first.Informer.WaitForSyncAsync(CancellationToken.None);

        first.Dispose();
        using var again = Acquire(cache);

        again.Informer.ShouldBeSameAs(first.Informer);
        Proxy.ListRequests.Count().ShouldBe(1, "nothing was listed again");
    }
}
