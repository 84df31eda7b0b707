using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;
using Portal.Kubernetes.Tests.Sandbox;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Kubernetes.Tests.Rest;

/// <summary>The REST client against the sandbox API server: watches, apply, scale, delete with propagation.</summary>
public sealed class KubernetesRestClientSandboxTests : IAsyncLifetime
{
    private static readonly ResourcePath ConfigMaps = new("", "v1", "configmaps", RunningSandbox.Ns);
    private static readonly ResourcePath Deployments = ResourcePath.Deployments(RunningSandbox.Ns);
    private RunningSandbox _sandbox = default!;
    private KubernetesRestClient _client = default!;

    public async Task InitializeAsync()
    {
        _sandbox = await RunningSandbox.StartAsync(historyCapacity: 50);
        _client = _sandbox.Client();
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static string Manifest(int replicas = 2, string image = "web:1") => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: {{RunningSandbox.Ns}}
        spec:
          replicas: {{replicas}}
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: web
                image: {{image}}
        """;

    private JsonObject ConfigMap(string name, string value = "1") =>
        _sandbox.Create(ResourceTypes.ConfigMaps, $$"""{ "metadata": { "name": "{{name}}", "namespace": "{{RunningSandbox.Ns}}" }, "data": { "k": "{{value}}" } }""");

    [Fact]
    public async Task ListAllAsync_PagesThroughTheSandboxsContinueTokens()
    {
        foreach (var name in new[] { "e", "c", "a", "d", "b" })
        {
            ConfigMap(name);
        }

        var all = await _client.ListAllAsync(ConfigMaps, KubernetesJson.Default.KubeListConfigMap, pageSize: 2).ToListAsync();
        var first = await _client.ListPageAsync(ConfigMaps, KubernetesJson.Default.KubeListConfigMap, 2, null, null, CancellationToken.None);

        all.Select(c => c.Metadata.Name).ShouldBe(["a", "b", "c", "d", "e"]);
        first.Metadata.Continue.ShouldNotBeNullOrEmpty();
        first.Metadata.RemainingItemCount.ShouldBe(3);
    }

    [Fact]
    public async Task GetAsync_Missing_IsNotFoundWithTheApisMessage()
    {
        var error = await Should.ThrowAsync<KubernetesApiException>(() => _client.GetAsync(ConfigMaps, "nope", KubernetesJson.Default.ConfigMap, CancellationToken.None));

        error.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        error.Reason.ShouldBe("NotFound");
        error.ApiMessage.ShouldBe("configmaps \"nope\" not found");
    }

    [Fact]
    public async Task WatchAsync_SeesAddedModifiedDeletedThenBookmarks()
    {
        var (_, version) = await _client.ListWithVersionAsync(ConfigMaps, KubernetesJson.Default.KubeListConfigMap, CancellationToken.None);
        var events = new ConcurrentQueue<WatchEvent<ConfigMap>>();
        using var stop = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in _client.WatchAsync(ConfigMaps, KubernetesJson.Default.ConfigMap, version, ct: stop.Token))
            {
                events.Enqueue(e);
            }
        });

        var created = ConfigMap("watched");
        _sandbox.Store.Update(ResourceTypes.ConfigMaps, Patch(created, """{ "data": { "k": "2" } }"""));
        _sandbox.Store.Delete(ResourceTypes.ConfigMaps, RunningSandbox.Ns, "watched");
        await RunningSandbox.EventuallyAsync(() => events.Any(e => e.Type == "BOOKMARK"), "a bookmark arrives while the watch is idle");
        await stop.CancelAsync();
        try
        {
            await watching;
        }
        catch (OperationCanceledException)
        {
            // The watch ends when its reader stops.
        }

        var changes = events.Where(e => e.Type != "BOOKMARK").ToList();
        changes.Select(e => (e.Type, e.Object!.Metadata.Name, e.Object.Data?["k"])).ShouldBe([("ADDED", "watched", "1"), ("MODIFIED", "watched", "2"), ("DELETED", "watched", "2")]);
        var versions = changes.Select(e => long.Parse(e.Object!.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        versions.ShouldBeInOrder(SortDirection.Ascending);
        var bookmark = events.First(e => e.Type == "BOOKMARK");
        bookmark.Object!.Kind.ShouldBe("ConfigMap");
        long.Parse(bookmark.Object.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(versions[^1]);
    }

    [Fact]
    public async Task WatchAsync_FromAVersionTheServerNoLongerKeeps_ThrowsExpired()
    {
        var (_, version) = await _client.ListWithVersionAsync(ConfigMaps, KubernetesJson.Default.KubeListConfigMap, CancellationToken.None);
        for (var i = 0; i < 60; i++)
        {
            ConfigMap($"churn-{i}");
        }

        var error = await Should.ThrowAsync<KubernetesApiException>(async () =>
        {
            await foreach (var _ in _client.WatchAsync(ConfigMaps, KubernetesJson.Default.ConfigMap, version))
            {
            }
        });

        error.IsExpired.ShouldBeTrue();
        error.ApiMessage.ShouldStartWith($"too old resource version: {version} (");
    }

    [Fact]
    public async Task ApplyAsync_CreatesThenUpdatesTheSameDeployment()
    {
        var created = await _client.ApplyAsync(Deployments, "web", Manifest(), KubernetesJson.Default.Deployment);
        var updated = await _client.ApplyAsync(Deployments, "web", Manifest(image: "web:2"), KubernetesJson.Default.Deployment);

        created.ShouldNotBeNull().Metadata.Uid.ShouldNotBeNullOrEmpty();
        created.Spec!.Replicas.ShouldBe(2);
        updated.ShouldNotBeNull().Metadata.Uid.ShouldBe(created.Metadata.Uid);
        updated.Spec!.Template!.Spec!.Containers.Single().Image.ShouldBe("web:2");
        updated.Metadata.ResourceVersion.ShouldNotBe(created.Metadata.ResourceVersion);
        var managers = updated.Metadata.Extra!["managedFields"].EnumerateArray().Select(m => (m.GetProperty("manager").GetString(), m.GetProperty("operation").GetString())).ToList();
        managers.ShouldContain(("portal", "Apply"));
    }

    [Fact]
    public async Task ApplyAsync_FieldAnotherManagerOwns_IsAConflictUntilForced()
    {
        await _client.ApplyAsync(Deployments, "web", Manifest(replicas: 2), KubernetesJson.Default.Deployment);
        await ApplyAsAsync("kubectl", """{ "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "web" }, "spec": { "replicas": 5 } }""", force: true);

        var error = await Should.ThrowAsync<KubernetesApiException>(() => _client.ApplyAsync(Deployments, "web", Manifest(replicas: 3), KubernetesJson.Default.Deployment));
        var forced = await _client.ApplyAsync(Deployments, "web", Manifest(replicas: 3), KubernetesJson.Default.Deployment, force: true);

        error.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        error.Reason.ShouldBe("Conflict");
        error.ApiMessage.ShouldBe("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas");
        forced.ShouldNotBeNull().Spec!.Replicas.ShouldBe(3);
    }

    [Fact]
    public async Task ApplyAsync_DryRun_ChangesNothing()
    {
        var planned = await _client.ApplyAsync(Deployments, "web", Manifest(), KubernetesJson.Default.Deployment, dryRun: true);

        planned.ShouldNotBeNull().Spec!.Replicas.ShouldBe(2);
        _sandbox.Store.Get(ResourceTypes.Deployments, RunningSandbox.Ns, "web").ShouldBeNull();
    }

    [Fact]
    public async Task ScaleAsync_SetsReplicasThroughTheScaleSubresource()
    {
        await _client.ApplyAsync(Deployments, "web", Manifest(replicas: 1), KubernetesJson.Default.Deployment);

        var scale = await _client.ScaleAsync(Deployments, "web", 3, CancellationToken.None);

        scale.ShouldNotBeNull().Kind.ShouldBe("Scale");
        scale.Spec!.Replicas.ShouldBe(3);
        scale.Status!.Selector.ShouldBe("app=web");
        (await _client.GetAsync(Deployments, "web", KubernetesJson.Default.Deployment, CancellationToken.None))!.Spec!.Replicas.ShouldBe(3);
        await RunningSandbox.EventuallyAsync(() => _sandbox.RunningPods().Count() == 3, "the deployment runs three pods");
    }

    [Fact]
    public async Task ScaleAsync_Negative_IsInvalidAndMissing_IsNotFound()
    {
        await _client.ApplyAsync(Deployments, "web", Manifest(replicas: 1), KubernetesJson.Default.Deployment);

        var invalid = await Should.ThrowAsync<KubernetesApiException>(() => _client.ScaleAsync(Deployments, "web", -1, CancellationToken.None));
        var missing = await Should.ThrowAsync<KubernetesApiException>(() => _client.ScaleAsync(Deployments, "nope", 1, CancellationToken.None));

        invalid.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        invalid.ApiMessage.ShouldContain("spec.replicas: Invalid value: -1: must be greater than or equal to 0");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.ApiMessage.ShouldBe("deployments.apps \"nope\" not found");
    }

    [Fact]
    public async Task DeleteAsync_Foreground_RemovesTheDeploymentOnlyAfterItsReplicaSetAndPods()
    {
        _sandbox.CreateDeployment("web", 2);
        await RunningSandbox.EventuallyAsync(() => _sandbox.RunningPods().Count() == 2, "two pods run");
        var deleted = new ConcurrentQueue<string>();
        _sandbox.Store.Changed += e =>
        {
            if (e.Type == "DELETED")
            {
                deleted.Enqueue(e.Resource.Kind);
            }
        };

        await _client.DeleteAsync(Deployments, "web", "Foreground");

        await RunningSandbox.EventuallyAsync(() => deleted.Contains("Deployment"), "the deployment is gone");
        deleted.Where(k => k != "Event").ShouldBe(["Pod", "Pod", "ReplicaSet", "Deployment"]);
    }

    [Fact]
    public async Task DeleteAsync_Background_RemovesTheDeploymentAtOnceAndTheRestAfterwards()
    {
        _sandbox.CreateDeployment("web", 2);
        await RunningSandbox.EventuallyAsync(() => _sandbox.RunningPods().Count() == 2, "two pods run");

        await _client.DeleteAsync(Deployments, "web");

        _sandbox.Store.Get(ResourceTypes.Deployments, RunningSandbox.Ns, "web").ShouldBeNull();
        await RunningSandbox.EventuallyAsync(
            () => _sandbox.Store.List(ResourceTypes.ReplicaSets, RunningSandbox.Ns).Count == 0 && _sandbox.Store.List(ResourceTypes.Pods, RunningSandbox.Ns).Count == 0,
            "the garbage collector removed the replica set and its pods");
    }

    [Fact]
    public async Task DeleteAsync_Orphan_LeavesTheReplicaSetAndPodsWithoutAnOwner()
    {
        _sandbox.CreateDeployment("web", 2);
        await RunningSandbox.EventuallyAsync(() => _sandbox.RunningPods().Count() == 2 && _sandbox.Store.List(ResourceTypes.ReplicaSets, RunningSandbox.Ns).Count == 1, "two pods run");

        await _client.DeleteAsync(Deployments, "web", "Orphan");

        // A deployment created afterwards running its pod shows the controllers have made several passes since.
        _sandbox.CreateDeployment("probe", 1);
        await RunningSandbox.EventuallyAsync(() => _sandbox.RunningPods().Any(p => p["metadata"]!["labels"]!["app"]!.GetValue<string>() == "probe"), "the probe runs");

        _sandbox.Store.Get(ResourceTypes.Deployments, RunningSandbox.Ns, "web").ShouldBeNull();
        var replicaSet = _sandbox.Store.List(ResourceTypes.ReplicaSets, RunningSandbox.Ns).Where(rs => rs["metadata"]!["name"]!.GetValue<string>().StartsWith("web-", StringComparison.Ordinal)).ShouldHaveSingleItem();
        replicaSet["metadata"]!["ownerReferences"].ShouldBeNull();
        _sandbox.RunningPods().Count(p => p["metadata"]!["labels"]!["app"]!.GetValue<string>() == "web").ShouldBe(2);
    }

    private static JsonObject Patch(JsonObject o, string mergePatch) => Portal.Sandbox.Kubernetes.Patching.Patches.Merge(o, JsonNode.Parse(mergePatch)!.AsObject());

    private async Task ApplyAsAsync(string manager, string config, bool force)
    {
        using var content = new StringContent(config, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        using var response = await _sandbox.Http().PatchAsync($"apis/apps/v1/namespaces/{RunningSandbox.Ns}/deployments/web?fieldManager={manager}&force={force.ToString().ToLowerInvariant()}", content);
        response.EnsureSuccessStatusCode();
    }
}
