using System.Net;
using System.Text.Json;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Environments;
using Portal.Core.Jobs;
using Portal.Core.Provisioning;
using Portal.Kubernetes.Deployments;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Provisioning;
using Portal.Kubernetes.Rest;
using Portal.Kubernetes.Tests.Sandbox;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Kubernetes.Tests.Deployments;

/// <summary>Deploying services into an environment's namespace on the sandbox cluster, and reading their rollouts back.</summary>
public sealed class KubernetesServiceDeployerTests : IAsyncLifetime
{
    private static readonly PortalEnvironment Environment = ServiceManifestsTests.Environment;
    private static readonly DeploySpec Spec = ServiceManifestsTests.Typical;

    private readonly List<string> _log = [];
    private RunningSandbox _sandbox = null!;
    private KubernetesServiceDeployer _deployer = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await RunningSandbox.StartAsync();
        _sandbox.Create(ResourceTypes.Namespaces, """{ "metadata": { "name": "shop-dev", "labels": { "portal.dev/environment": "dev" } } }""");
        _deployer = Deployer();
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task ApplyAsync_TypicalSpec_RollsOutUntilCompleteWithEveryPodReady()
    {
        await ApplyAsync(Spec, 1);

        var status = await RolloutUntilAsync(s => s.Complete && s.Ready == 2, "the rollout is complete");

        status.ShouldSatisfyAllConditions(
            () => status.Exists.ShouldBeTrue(),
            () => (status.Desired, status.Updated, status.Ready, status.Available, status.Total).ShouldBe((2, 2, 2, 2, 2)),
            () => status.Observed.ShouldBeTrue(),
            () => status.Problems.ShouldBeEmpty(),
            () => status.Pods.Count.ShouldBe(2),
            () => status.Pods.ShouldAllBe(p => p.Ready && p.Current && p.Phase == "Running" && p.Node == "node-1" && p.Restarts == 0 && p.Created != null && p.Name.StartsWith("orders-")));
        _log.ShouldBe(["Applied Deployment orders (release 1).", "Applied Service orders (release 1).", "Applied Ingress orders (release 1)."]);
        var deployment = await GetAsync("apis/apps/v1/namespaces/shop-dev/deployments/orders");
        deployment.GetProperty("metadata").GetProperty("annotations").GetProperty("portal.dev/release").GetString().ShouldBe("1");
        deployment.GetProperty("spec").GetProperty("template").GetProperty("metadata").TryGetProperty("annotations", out _).ShouldBeFalse();
        (await GetAsync("api/v1/namespaces/shop-dev/services/orders")).GetProperty("spec").GetProperty("ports")[0].GetProperty("targetPort").GetString().ShouldBe("http");
        (await GetAsync("apis/networking.k8s.io/v1/namespaces/shop-dev/ingresses/orders")).GetProperty("spec").GetProperty("rules")[0].GetProperty("host").GetString()
            .ShouldBe("orders.dev.example.com");
    }

    [Fact]
    public async Task ApplyAsync_SameSpecAsANewRelease_DoesNotRestartThePods()
    {
        await ApplyAsync(Spec, 1);
        var before = (await RolloutUntilAsync(s => s.Complete && s.Ready == 2, "the first rollout is complete")).Pods.Select(p => p.Name).ToList();

        await ApplyAsync(Spec, 2);
        await Task.Delay(300);

        var after = await _deployer.RolloutAsync(Environment, "orders", CancellationToken.None);
        after.Complete.ShouldBeTrue();
        after.Pods.Select(p => p.Name).ShouldBe(before, ignoreOrder: true);
    }

    [Fact]
    public async Task ApplyAsync_ManifestsAsStored_AppliesTheirYamlNotARenderedCopy()
    {
        var stored = _deployer.Render(Environment, "orders", Spec, 3);
        var edited = stored.Select(o => o.Part == "deployment" ? o with { Yaml = o.Yaml.Replace("replicas: 2", "replicas: 3", StringComparison.Ordinal) } : o).ToList();

        await _deployer.ApplyAsync(Environment, "orders", edited, Log, CancellationToken.None);

        (await GetAsync("apis/apps/v1/namespaces/shop-dev/deployments/orders")).GetProperty("spec").GetProperty("replicas").GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task RolloutAsync_NoDeployment_DoesNotExist()
    {
        var status = await _deployer.RolloutAsync(Environment, "orders", CancellationToken.None);

        status.Exists.ShouldBeFalse();
        status.Complete.ShouldBeFalse();
    }

    [Fact]
    public async Task RolloutAsync_TagThatDoesNotExist_ReportsImagePullBackOff()
    {
        await ApplyAsync(Spec with { Image = "registry.example.com/shop/orders:bad-1" }, 1);

        var status = await RolloutUntilAsync(s => s.Pods.Count == 2 && s.Pods.All(p => p.Waiting is "ErrImagePull" or "ImagePullBackOff"), "both pods fail to pull");

        var problem = status.Problems.ShouldHaveSingleItem();
        problem.Reason.ShouldBe(RolloutProblems.ImagePullBackOff);
        problem.Message.ShouldMatch(@"^The image registry\.example\.com/shop/orders:bad-1 could not be pulled \(ImagePullBackOff(, after ErrImagePull)?\): the tag may not exist or the registry refused access\. .*\(pod orders-[a-z0-9]+-[a-z0-9]{5}, container orders\)\. 1 more pod shows the same\.$");
        problem.Since.ShouldBe(status.Pods.Min(p => p.Created!.Value));
        status.Complete.ShouldBeFalse();
        status.Pods.ShouldAllBe(p => p.Current && !p.Ready && (p.Waiting == "ErrImagePull" || p.Waiting == "ImagePullBackOff"));
    }

    [Fact]
    public async Task RolloutAsync_ImageThatCrashes_ReportsCrashLoopBackOffWithRestartsAndExitCode()
    {
        await ApplyAsync(Spec with { Image = "registry.example.com/shop/orders:2.0-crash", Replicas = 1 }, 1);

        var status = await RolloutUntilAsync(s => s.Problems.Count > 0, "a problem shows");

        var problem = status.Problems.ShouldHaveSingleItem();
        problem.Reason.ShouldBe(RolloutProblems.CrashLoopBackOff);
        var pod = status.Pods.ShouldHaveSingleItem();
        problem.Message.ShouldBe($"Container orders of pod {pod.Name} keeps crashing (CrashLoopBackOff): it has restarted {pod.Restarts} {(pod.Restarts == 1 ? "time" : "times")}, last exiting with code 1 (Error). Read the logs of its previous run to see why it stops.");
        pod.Restarts.ShouldBeGreaterThan(0);
        pod.Waiting.ShouldBe("CrashLoopBackOff");
    }

    [Fact]
    public async Task RolloutAsync_RequestsBeyondTheQuota_ReportsQuotaExceededNamingTheQuota()
    {
        _sandbox.Create(ResourceTypes.ResourceQuotas, """{ "metadata": { "name": "portal-quota", "namespace": "shop-dev" }, "spec": { "hard": { "requests.cpu": "1" } } }""");
        await ApplyAsync(Spec with { Resources = new ResourceSettings("600m", "", "64Mi", "") }, 1);

        var status = await RolloutUntilAsync(s => s.Problems.Count > 0, "a problem shows");

        var problem = status.Problems.ShouldHaveSingleItem();
        problem.Reason.ShouldBe(RolloutProblems.QuotaExceeded);
        problem.Message.ShouldMatch(@"^ReplicaSet orders-[a-z0-9]+ cannot create pods: the environment's quota portal-quota has no room for another \(a pod requests requests\.cpu=600m; used requests\.cpu=600m of requests\.cpu=1\)\. Lower the service's requests or replicas, or raise the environment's quota\.$");
        status.Pods.Count.ShouldBe(1);
    }

    [Fact]
    public async Task RolloutAsync_MoreThanANodeHolds_ReportsUnschedulableInWords()
    {
        await ApplyAsync(Spec with { Replicas = 1, Resources = new ResourceSettings("16", "", "64Mi", "") }, 1);

        var status = await RolloutUntilAsync(s => s.Problems.Count > 0, "a problem shows");

        var problem = status.Problems.ShouldHaveSingleItem();
        problem.Reason.ShouldBe(RolloutProblems.Unschedulable);
        problem.Message.ShouldStartWith($"Pod {status.Pods[0].Name} cannot be scheduled: no node has enough free CPU (the scheduler says: 0/1 nodes are available: 1 Insufficient cpu.");
        status.Pods[0].Waiting.ShouldBe("Unschedulable");
    }

    [Fact]
    public async Task RolloutAsync_BadTagOverAGoodRelease_OnlyTheNewPodsCountAndTheOldKeepServing()
    {
        await ApplyAsync(Spec, 1);
        var good = (await RolloutUntilAsync(s => s.Complete && s.Ready == 2, "the first rollout is complete")).Pods.Select(p => p.Name).ToHashSet();

        await ApplyAsync(Spec with { Image = "registry.example.com/shop/orders:bad-2" }, 2);
        var status = await RolloutUntilAsync(s => s.Problems.Count > 0, "a problem shows");

        status.Problems.ShouldHaveSingleItem().Reason.ShouldBe(RolloutProblems.ImagePullBackOff);
        status.Pods.Where(p => good.Contains(p.Name)).ShouldNotBeEmpty();
        status.Pods.Where(p => good.Contains(p.Name)).ShouldAllBe(p => !p.Current && p.Ready);
        status.Pods.Where(p => !good.Contains(p.Name)).ShouldAllBe(p => p.Current && !p.Ready);
        status.Complete.ShouldBeFalse();
    }

    [Fact]
    public async Task RolloutAsync_NoProgressWithinTheDeadline_ReportsProgressDeadlineExceeded()
    {
        var deployer = Deployer(progressDeadlineSeconds: 1);
        await deployer.ApplyAsync(Environment, "orders", deployer.Render(Environment, "orders", Spec with { Image = "registry.example.com/shop/orders:bad-3" }, 1), Log, CancellationToken.None);

        var status = await RolloutUntilAsync(s => s.Problems.Any(p => p.Reason == RolloutProblems.ProgressDeadlineExceeded), "the deadline passes");

        status.Problems.Single(p => p.Reason == RolloutProblems.ProgressDeadlineExceeded).Message
            .ShouldMatch(@"^The rollout of orders made no progress for 1 seconds \(ProgressDeadlineExceeded\): ReplicaSet ""orders-[a-z0-9]+"" has timed out progressing\. ");
    }

    [Fact]
    public async Task CompareAsync_FreshThenAppliedThenChangedThenIngressOff_CreateUnchangedUpdateDelete()
    {
        var first = _deployer.Render(Environment, "orders", Spec, 1);

        var fresh = await CompareAsync(first);
        fresh.Select(c => (c.Kind, c.Change)).ShouldBe([("Deployment", ObjectChange.Create), ("Service", ObjectChange.Create), ("Ingress", ObjectChange.Create)]);
        fresh.ShouldAllBe(c => c.Live == "" && c.Planned.Contains("name: orders"));
        fresh[0].Planned.ShouldNotContain("managedFields");
        fresh[0].Planned.ShouldNotContain("uid:");

        await _deployer.ApplyAsync(Environment, "orders", first, Log, CancellationToken.None);
        await RolloutUntilAsync(s => s.Complete, "the rollout is complete");
        var same = await CompareAsync(first);
        same.Select(c => c.Change).ShouldBe([ObjectChange.Unchanged, ObjectChange.Unchanged, ObjectChange.Unchanged]);
        same.ShouldAllBe(c => c.Live == c.Planned && c.Live.Length > 0);
        same[0].Live.ShouldNotContain("deployment.kubernetes.io/revision");
        same[0].Live.ShouldNotContain("status:");

        var changed = await CompareAsync(_deployer.Render(Environment, "orders", Spec with { Image = "registry.example.com/shop/orders:1.5.0" }, 2));
        changed.Select(c => c.Change).ShouldBe([ObjectChange.Update, ObjectChange.Unchanged, ObjectChange.Unchanged]);
        ChangedLines(changed[0]).ShouldBe(
        [
            ("    portal.dev/release: \"1\"", "    portal.dev/release: \"2\""),
            ("        image: \"registry.example.com/shop/orders:1.4.2\"", "        image: \"registry.example.com/shop/orders:1.5.0\""),
        ]);

        var withoutIngress = await CompareAsync(_deployer.Render(Environment, "orders", Spec with { IngressHost = null }, 2));
        withoutIngress.Select(c => (c.Kind, c.Change)).ShouldBe(
            [("Deployment", ObjectChange.Update), ("Service", ObjectChange.Unchanged), ("Ingress", ObjectChange.Delete)]);
        withoutIngress[2].Name.ShouldBe("orders");
        withoutIngress[2].Planned.ShouldBe("");
        withoutIngress[2].Live.ShouldContain("- host: orders.dev.example.com");
    }

    [Fact]
    public async Task ApplyAsync_IngressTurnedOff_DeletesItAndLeavesOtherServicesAlone()
    {
        await ApplyAsync(Spec, 1);
        await _deployer.ApplyAsync(Environment, "payments", _deployer.Render(Environment, "payments", Spec with { IngressHost = "payments.dev.example.com" }, 1), Log, CancellationToken.None);
        _log.Clear();

        await ApplyAsync(Spec with { IngressHost = null }, 2);

        (await StatusAsync("apis/networking.k8s.io/v1/namespaces/shop-dev/ingresses/orders")).ShouldBe(HttpStatusCode.NotFound);
        (await StatusAsync("apis/networking.k8s.io/v1/namespaces/shop-dev/ingresses/payments")).ShouldBe(HttpStatusCode.OK);
        (await StatusAsync("api/v1/namespaces/shop-dev/services/orders")).ShouldBe(HttpStatusCode.OK);
        _log.ShouldBe(["Applied Deployment orders (release 2).", "Applied Service orders (release 2).", "Deleted Ingress orders: the release no longer has it."]);
    }

    [Fact]
    public async Task LiveAsync_DeployedServices_ReportsImageReplicasAndRequestsOfPortalsOnly()
    {
        await ApplyAsync(Spec, 1);
        await _deployer.ApplyAsync(Environment, "payments", _deployer.Render(Environment, "payments", Spec with { Image = "registry.example.com/shop/payments:3.1", Replicas = 1 }, 4), Log, CancellationToken.None);
        _sandbox.Create(ResourceTypes.Deployments, """
            { "metadata": { "name": "not-portals", "namespace": "shop-dev", "labels": { "app": "x" } },
              "spec": { "replicas": 1, "selector": { "matchLabels": { "app": "x" } },
                        "template": { "metadata": { "labels": { "app": "x" } }, "spec": { "containers": [ { "name": "x", "image": "x:1" } ] } } } }
            """);
        await RolloutUntilAsync(s => s.Complete, "the rollout is complete");

        var live = await _deployer.LiveAsync(Environment, CancellationToken.None);

        live.ShouldBe(
        [
            new LiveService("orders", "registry.example.com/shop/orders:1.4.2", 2, 2, 250, 256L * 1024 * 1024),
            new LiveService("payments", "registry.example.com/shop/payments:3.1", 1, live.Single(s => s.Service == "payments").Ready, 250, 256L * 1024 * 1024),
        ]);
    }

    [Fact]
    public async Task LiveAsync_NamespaceMissing_Empty()
    {
        var live = await _deployer.LiveAsync(Environment with { Namespace = "nowhere" }, CancellationToken.None);

        live.ShouldBeEmpty();
    }

    [Fact]
    public async Task ApplyAsync_NamespaceOfSomeoneElse_RefusedAndNothingCreated()
    {
        var intruder = Environment with { Namespace = RunningSandbox.Ns };

        var ex = await Should.ThrowAsync<JobStepException>(() =>
            _deployer.ApplyAsync(intruder, "orders", _deployer.Render(intruder, "orders", Spec, 1), Log, CancellationToken.None));

        ex.Message.ShouldContain("will not take it over");
        ex.Message.ShouldContain("label is missing");
        (await StatusAsync($"apis/apps/v1/namespaces/{RunningSandbox.Ns}/deployments/orders")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ApplyAsync_NamespaceMissing_RefusedAsNotProvisioned()
    {
        var missing = Environment with { Namespace = "nowhere" };

        var ex = await Should.ThrowAsync<JobStepException>(() =>
            _deployer.ApplyAsync(missing, "orders", _deployer.Render(missing, "orders", Spec, 1), Log, CancellationToken.None));

        ex.Message.ShouldBe("Namespace nowhere does not exist on sandbox: environment dev has to be provisioned before anything is deployed into it.");
    }

    [Fact]
    public async Task ApplyAsync_ObjectOfAnotherNamespace_Refused()
    {
        var objects = _deployer.Render(Environment with { Namespace = "elsewhere" }, "orders", Spec, 1);

        var ex = await Should.ThrowAsync<JobStepException>(() => _deployer.ApplyAsync(Environment, "orders", objects, Log, CancellationToken.None));

        ex.Message.ShouldBe("Deployment orders belongs in namespace elsewhere, not in shop-dev of environment dev.");
    }

    private KubernetesServiceDeployer Deployer(int progressDeadlineSeconds = ServiceManifests.DefaultProgressDeadlineSeconds) =>
        new(new Clients(_sandbox.Client()), TimeProvider.System, progressDeadlineSeconds);

    private Task ApplyAsync(DeploySpec spec, int release) =>
        _deployer.ApplyAsync(Environment, "orders", _deployer.Render(Environment, "orders", spec, release), Log, CancellationToken.None);

    private Task<IReadOnlyList<LiveComparison>> CompareAsync(IReadOnlyList<PlannedObject> objects) =>
        _deployer.CompareAsync(Environment, "orders", objects, CancellationToken.None);

    private Task Log(string line)
    {
        _log.Add(line);
        return Task.CompletedTask;
    }

    private async Task<RolloutStatus> RolloutUntilAsync(Func<RolloutStatus, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var status = await _deployer.RolloutAsync(Environment, "orders", CancellationToken.None);
            if (done(status))
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"timed out waiting until {what}; last seen: {status with { }} pods [{string.Join(", ", status.Pods)}] problems [{string.Join(", ", status.Problems)}]");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The lines that differ between the live and the planned text (which have the same number of lines here).</summary>
    private static List<(string Live, string Planned)> ChangedLines(LiveComparison comparison)
    {
        var live = comparison.Live.Split('\n');
        var planned = comparison.Planned.Split('\n');
        live.Length.ShouldBe(planned.Length, $"{comparison.Live}\n-----\n{comparison.Planned}");
        return [.. live.Zip(planned).Where(p => p.First != p.Second)];
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _sandbox.Http().GetAsync(path);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<HttpStatusCode> StatusAsync(string path)
    {
        using var response = await _sandbox.Http().GetAsync(path);
        return response.StatusCode;
    }

    private sealed class Clients(KubernetesRestClient client) : IKubernetesClients
    {
        public Task<KubernetesRestClient> ClientForAsync(string cluster, CancellationToken ct) => Task.FromResult(client);
    }
}
