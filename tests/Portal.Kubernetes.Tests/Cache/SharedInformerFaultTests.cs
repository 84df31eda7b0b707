using Microsoft.Extensions.Logging.Abstractions;
using Portal.Kubernetes.Cache;
using Portal.Kubernetes.Connection;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;
using Portal.Kubernetes.Tests.Sandbox;

namespace Portal.Kubernetes.Tests.Cache;

/// <summary>
/// Faults that must degrade the cache, never stop it: credentials that cannot be had, a watch that never answers, a
/// watch that goes silent. Each is reported in the cache's health, and the cache recovers when the fault ends.
/// </summary>
public sealed class SharedInformerFaultTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private ProxiedSandbox _proxied = default!;

    public async Task InitializeAsync() => _proxied = await ProxiedSandbox.StartAsync();

    public async Task DisposeAsync() => await _proxied.DisposeAsync();

    private static SharedInformer<ConfigMap> Informer(KubernetesRestClient client) =>
        new(client, new ResourcePath("", "v1", "configmaps"), KubernetesJson.Default.ConfigMap, KubernetesJson.Default.KubeListConfigMap, TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task FailingExecPlugin_ReportedAsCredentialsProblem_NotAStoppedCache()
    {
        var plugin = new ExecPlugin("client.authentication.k8s.io/v1", "/bin/false", [], new Dictionary<string, string>(), false, "/");
        var connection = _proxied.Sandbox.Connection with { Credentials = new ClusterCredentials.Exec(plugin) };
        await using var informer = Informer(_proxied.Sandbox.Client(connection));

        informer.Start();

        await RunningSandbox.EventuallyAsync(() => informer.Health.Error is not null, "the failure is reported", Patience);
        informer.Health.Error.ShouldNotBeNull().ShouldStartWith("Portal could not get credentials for the cluster");
        informer.Health.Synced.ShouldBeFalse();
    }

    [Fact]
    public async Task WatchThatNeverAnswers_ReportedAfterTheHeaderDeadline_ThenRecovers()
    {
        await using var informer = Informer(new KubernetesRestClient(_proxied.ViaProxy) { RequestTimeout = TimeSpan.FromSeconds(1) });
        _proxied.Proxy.HoldWatches();
        informer.Start();
        using (var synced = new CancellationTokenSource(Patience))
        {
            await informer.WaitForSyncAsync(synced.Token);
        }

        await RunningSandbox.EventuallyAsync(() => informer.Health.Error is not null, "the held watch is given up", Patience);
        informer.Health.Error.ShouldNotBeNull().ShouldContain("did not answer in time");

        _proxied.Proxy.ReleaseWatches();
        _proxied.Sandbox.Create(Portal.Sandbox.Kubernetes.Store.ResourceTypes.ConfigMaps, $$"""{ "metadata": { "name": "after", "namespace": "{{RunningSandbox.Ns}}" } }""");
        await RunningSandbox.EventuallyAsync(() => informer.Health.Error is null && informer.Items.ContainsKey($"{RunningSandbox.Ns}/after"), "the cache recovers and sees new objects", Patience);
    }

    [Fact]
    public async Task WatchSilentLongerThanTheIdleTimeout_IsGivenUp()
    {
        // The sandbox sends a bookmark every second (fast timings); an idle limit below that makes every watch look stalled.
        await using var informer = Informer(new KubernetesRestClient(_proxied.ViaProxy) { WatchIdleTimeout = TimeSpan.FromMilliseconds(300) });

        informer.Start();

        await RunningSandbox.EventuallyAsync(() => informer.Health.Error is not null, "the silent watch is given up", Patience);
        informer.Health.Error.ShouldNotBeNull().ShouldContain("went silent");
    }
}
