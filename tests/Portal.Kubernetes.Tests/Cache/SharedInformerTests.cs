using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Kubernetes.Cache;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;
using Portal.Kubernetes.Tests.Sandbox;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Kubernetes.Tests.Cache;

/// <summary>One informer over the sandbox's config maps (all namespaces), directly or through a proxy that misbehaves on cue.</summary>
public sealed class SharedInformerTests : IAsyncLifetime
{
    private static readonly ResourcePath ConfigMaps = new("", "v1", "configmaps");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly ConcurrentQueue<InformerChange<ConfigMap>> _changes = new();
    private readonly ConcurrentQueue<InformerHealth> _health = new();
    private ProxiedSandbox _proxied = default!;

    private RunningSandbox Running => _proxied.Sandbox;

    private SandboxProxy Proxy => _proxied.Proxy;

    private HttpClient ViaProxy => _proxied.ViaProxy;

    public async Task InitializeAsync() => _proxied = await ProxiedSandbox.StartAsync(historyCapacity: 5);

    public async Task DisposeAsync() => await _proxied.DisposeAsync();

    private void ConfigMap(string name) =>
        Running.Create(ResourceTypes.ConfigMaps, $$"""{ "metadata": { "name": "{{name}}", "namespace": "{{RunningSandbox.Ns}}" }, "data": { "k": "1" } }""");

    private async Task<SharedInformer<ConfigMap>> StartAsync(KubernetesRestClient client)
    {
        var informer = new SharedInformer<ConfigMap>(client, ConfigMaps, KubernetesJson.Default.ConfigMap, KubernetesJson.Default.KubeListConfigMap, TimeProvider.System, NullLogger.Instance);
        informer.Subscribe(_changes.Enqueue);
        informer.HealthChanged += _health.Enqueue;
        informer.Start();
        using var timeout = new CancellationTokenSource(Patience);
        await informer.WaitForSyncAsync(timeout.Token);
        return informer;
    }

    private static IEnumerable<string> Keys(SharedInformer<ConfigMap> informer) => informer.Items.Keys.Order(StringComparer.Ordinal);

    [Fact]
    public async Task Start_ListsThenFollowsChangesMadeInTheCluster()
    {
        ConfigMap("a");
        ConfigMap("b");
        await using var informer = await StartAsync(Running.Client());

        Keys(informer).ShouldBe([$"{RunningSandbox.Ns}/a", $"{RunningSandbox.Ns}/b"]);
        informer.Health.ShouldBe(new InformerHealth(true, null, null));

        ConfigMap("c");
        Running.Store.Mutate(ResourceTypes.ConfigMaps, RunningSandbox.Ns, "a", o => { o["data"]!["k"] = "2"; return true; });
        Running.Store.Delete(ResourceTypes.ConfigMaps, RunningSandbox.Ns, "b");
        await RunningSandbox.EventuallyAsync(() => _changes.Count >= 4, "the three changes arrive");

        Keys(informer).ShouldBe([$"{RunningSandbox.Ns}/a", $"{RunningSandbox.Ns}/c"]);
        informer.Items[$"{RunningSandbox.Ns}/a"].Data!["k"].ShouldBe("2");
        _changes.Select(c => (c.Type, c.Object?.Metadata.Name)).ShouldBe([("RESET", null), ("ADDED", "c"), ("MODIFIED", "a"), ("DELETED", "b")]);
    }

    [Fact]
    public async Task Items_IsASnapshotThatLaterChangesDoNotTouch()
    {
        ConfigMap("a");
        await using var informer = await StartAsync(Running.Client());
        var before = informer.Items;

        ConfigMap("b");
        await RunningSandbox.EventuallyAsync(() => informer.Items.Count == 2, "b arrives");

        before.Keys.ShouldBe([$"{RunningSandbox.Ns}/a"]);
    }

    [Fact]
    public async Task Watch_ExpiredWhileReconnecting_ListsAgainAndCatchesUp()
    {
        ConfigMap("a");
        await using var informer = await StartAsync(new KubernetesRestClient(ViaProxy));
        await RunningSandbox.EventuallyAsync(() => Proxy.OpenWatches == 1, "the informer watches");

        // The watch ends; the informer's next one waits while more happens than the server's history keeps.
        Proxy.HoldWatches();
        Proxy.EndWatches();
        await RunningSandbox.EventuallyAsync(() => Proxy.WatchRequests.Count() == 2, "the informer watches again");
        Running.Store.Delete(ResourceTypes.ConfigMaps, RunningSandbox.Ns, "a");
        ConfigMap("b");
        for (var i = 0; i < 6; i++)
        {
            Running.Create(ResourceTypes.Secrets, $$"""{ "metadata": { "name": "s-{{i}}", "namespace": "{{RunningSandbox.Ns}}" } }""");
        }

        Proxy.ReleaseWatches();
        await RunningSandbox.EventuallyAsync(() => informer.Items.ContainsKey($"{RunningSandbox.Ns}/b"), "the informer catches up");

        Keys(informer).ShouldBe([$"{RunningSandbox.Ns}/b"]);
        Proxy.ListRequests.Count().ShouldBe(2, "it listed again after the 410");
        _changes.Count(c => c.Type == "RESET").ShouldBe(2);
        _health.ShouldAllBe(h => h.Synced, "an expired watch is routine, not an outage");
    }

    [Fact]
    public async Task ServerUnavailable_ReportsUnhealthyThenRecoversWithWhatChangedMeanwhile()
    {
        ConfigMap("a");
        await using var informer = await StartAsync(new KubernetesRestClient(ViaProxy));
        await RunningSandbox.EventuallyAsync(() => Proxy.OpenWatches == 1, "the informer watches");

        Proxy.Unavailable = true;
        Proxy.EndWatches();
        await RunningSandbox.EventuallyAsync(() => !informer.Health.Synced, "the informer notices");
        var failing = informer.Health;
        ConfigMap("made-during-the-outage");
        Proxy.Unavailable = false;
        await RunningSandbox.EventuallyAsync(() => informer.Health.Synced, "the informer recovers");

        failing.Error.ShouldBe("the cluster answered 503 ServiceUnavailable: Service Unavailable");
        failing.FailingSince.ShouldNotBeNull();
        informer.Health.ShouldBe(new InformerHealth(true, null, null));
        informer.Items.ContainsKey($"{RunningSandbox.Ns}/made-during-the-outage").ShouldBeTrue("after a failure it lists afresh");
        _health.Select(h => h.Synced).ShouldBe([true, false, true]);
        informer.Items[$"{RunningSandbox.Ns}/a"].Metadata.Name.ShouldBe("a", "what it had stays readable during the outage");
    }
}
