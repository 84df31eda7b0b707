using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Core.Authorization;
using Portal.Sandbox.Kubernetes;
using Portal.Testing;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Faults;

/// <summary>
/// A second cluster, reached through a <see cref="FaultProxy"/>, while the embedded sandbox keeps the other
/// environments going. Started once for the class: each test breaks the cluster one way and heals it again.
/// </summary>
public sealed class KubernetesFaultFixture : IAsyncLifetime
{
    public const string Cluster = "remote";
    public const string Environment = "remote-dev";
    public const string Deployment = "payments-api";

    private readonly TempDirectory _remote = new("portal-fault-cluster");

    public SandboxCluster RemoteCluster { get; private set; } = default!;

    public FaultProxy Proxy { get; private set; } = default!;

    public PortalAppFactory App { get; private set; } = default!;

    public HttpClient Operator { get; private set; } = default!;

    public string Pod { get; private set; } = "";

    public async Task InitializeAsync()
    {
        RemoteCluster = await SandboxCluster.StartAsync(
            new SandboxClusterOptions(Path.Combine(_remote.Path, "cluster")) { Timings = Portal.Sandbox.Kubernetes.Runtime.SandboxTimings.Fast },
            NullLoggerFactory.Instance);
        Proxy = FaultProxy.Start("127.0.0.1", RemoteCluster.Server.Port);

        // The cluster's own kubeconfig (CA, token), pointed at the proxy: TLS passes through it untouched, and the
        // certificate is for 127.0.0.1 whatever the port.
        var kubeconfig = Path.Combine(_remote.Path, "kubeconfig-via-proxy");
        var text = await File.ReadAllTextAsync(RemoteCluster.KubeconfigPath);
        var direct = $"server: {RemoteCluster.Server.GetLeftPart(UriPartial.Authority)}";
        text.ShouldContain(direct);
        await File.WriteAllTextAsync(kubeconfig, text.Replace(direct, $"server: https://127.0.0.1:{Proxy.Port}", StringComparison.Ordinal));

        App = new PortalAppFactory();
        App.Settings["Kubernetes:Sandbox:Enabled"] = "true";
        App.Settings[$"Kubernetes:Clusters:{Cluster}:Kubeconfig"] = kubeconfig;
        App.Settings["Kubernetes:RequestTimeout"] = "00:00:02";
        App.Settings["Environments:Clusters:0"] = Cluster;
        MatrixAppFactory.AddRoleUsers(App);

        using (var admin = await App.SignInAsync(MatrixAppFactory.UserFor(Roles.PortalAdmin)))
        using (var created = await admin.PostAsJsonAsync("/api/v1/environments", new
        {
            name = Environment, displayName = "Remote dev", tier = "dev", cluster = Cluster, @namespace = "dev", owningTeam = "payments", costCentre = "cc-1",
        }))
        {
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        Operator = await App.SignInAsync(MatrixAppFactory.UserFor(Roles.Operator));
        await FaultChecks.EventuallyAsync(async () =>
        {
            using var response = await Operator.GetAsync(new Uri($"/api/v1/environments/{Environment}/pods", UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            var pods = await response.Content.ReadFromJsonAsync<JsonElement>();
            Pod = pods.EnumerateArray().Select(p => p.GetProperty("name").GetString()!).FirstOrDefault(n => n.StartsWith(Deployment + "-", StringComparison.Ordinal)) ?? "";
            return Pod.Length > 0;
        }, "the remote cluster's pods through the proxy", seconds: 30);
    }

    public async Task DisposeAsync()
    {
        Operator.Dispose();
        App.Dispose();
        await Proxy.DisposeAsync();
        await RemoteCluster.DisposeAsync();
        _remote.Dispose();
    }
}

/// <summary>
/// The Kubernetes API unreachable, hanging and erroring while users work: the workloads page of that cluster's
/// environment shows the cluster banner, scale and restart are refused with a reason naming the cluster, every other
/// page (the sandbox's environments, logs, costs, alarms) carries on without a banner, nothing answers 500, and
/// when the API is back the banner goes and the actions work again, with no restart.
/// </summary>
public sealed class KubernetesFaultTests(KubernetesFaultFixture cluster) : IClassFixture<KubernetesFaultFixture>
{
    private const string Banner = "[data-testid='cluster-banner']";

    [Fact]
    public Task Unreachable_BannerAndRefusals_ThenRecovers() => BreakAndHealAsync(
        () => cluster.Proxy.Mode = FaultMode.Refuse,
        () => cluster.Proxy.Mode = FaultMode.Pass,
        "cannot be reached");

    [Fact]
    public Task Hanging_TimesOutWithinRequestTimeout_ThenRecovers() => BreakAndHealAsync(
        () => cluster.Proxy.Mode = FaultMode.Hang,
        () => cluster.Proxy.Mode = FaultMode.Pass,
        "did not answer in time");

    [Fact]
    public Task EtcdDown_500StatusIsTheReason_ThenRecovers() => BreakAndHealAsync(
        () => cluster.RemoteCluster.Fault.Fail(HttpStatusCode.InternalServerError, "InternalError", "etcdserver: request timed out"),
        cluster.RemoteCluster.Fault.Clear,
        "etcdserver: request timed out");

    [Fact]
    public Task Throttled_429WithRetryAfter_ThenRecovers() => BreakAndHealAsync(
        () => cluster.RemoteCluster.Fault.Fail(HttpStatusCode.TooManyRequests, "TooManyRequests", "Too many requests, please try again later.", TimeSpan.FromSeconds(1)),
        cluster.RemoteCluster.Fault.Clear,
        "429");

    private async Task BreakAndHealAsync(Action breakIt, Action healIt, string reason)
    {
        var client = cluster.Operator;
        var workloads = $"/environments/{KubernetesFaultFixture.Environment}/workloads";
        await FaultChecks.EventuallyAsync(async () => (await FaultChecks.PageAsync(client, workloads)).QuerySelector(Banner) is null,
            "the cluster to be healthy before the fault");

        breakIt();
        try
        {
            // (1) The affected page: a banner naming the cluster, the reason, and that Portal keeps retrying.
            string banner = "";
            await FaultChecks.EventuallyAsync(async () =>
            {
                banner = (await FaultChecks.PageAsync(client, workloads)).QuerySelector(Banner)?.TextContent ?? "";
                return banner.Contains(reason, StringComparison.Ordinal);
            }, $"the workloads page's banner to say '{reason}'");
            banner.ShouldContain($"Cluster '{KubernetesFaultFixture.Cluster}' is not answering");
            banner.ShouldContain("keeps retrying");

            var ready = await client.GetFromJsonAsync<JsonElement>("/readyz");
            ready.GetProperty("checks").GetProperty("kubernetes").GetProperty("description").GetString()!.ShouldContain($"cluster '{KubernetesFaultFixture.Cluster}'");

            // (3) Actions that need the cluster are refused with the reason and the cluster's name, not a 500.
            using (var scale = await client.PostAsJsonAsync($"/api/v1/environments/{KubernetesFaultFixture.Environment}/workloads/{KubernetesFaultFixture.Deployment}/scale", new { replicas = 2 }))
            {
                var detail = await FaultChecks.ShouldBeUnavailableAsync(scale, "scale");
                detail.ShouldContain($"Cluster '{KubernetesFaultFixture.Cluster}' could not scale deployment {KubernetesFaultFixture.Deployment}");
                detail.ShouldContain(reason);
            }

            using (var restart = await client.DeleteAsync(new Uri($"/api/v1/environments/{KubernetesFaultFixture.Environment}/pods/{cluster.Pod}", UriKind.Relative)))
            {
                (await FaultChecks.ShouldBeUnavailableAsync(restart, "restart")).ShouldContain($"Cluster '{KubernetesFaultFixture.Cluster}' could not restart pod {cluster.Pod}");
            }

            // (4) The pod's log (the pod page's log tab reads the same way): refused in words, within the request timeout.
            using (var log = await client.GetAsync(new Uri($"/api/v1/environments/{KubernetesFaultFixture.Environment}/pods/{cluster.Pod}/logs?tailLines=5", UriKind.Relative)))
            {
                (await FaultChecks.ShouldBeUnavailableAsync(log, "pod log")).ShouldContain($"Cluster '{KubernetesFaultFixture.Cluster}' could not read the log of pod {cluster.Pod}");
            }

            // (2) Other parts: the sandbox's environments and the pages that need no cluster show no banner and work.
            foreach (var other in new[] { "/environments/dev/workloads", "/logs", "/costs", "/alarms" })
            {
                (await FaultChecks.PageAsync(client, other)).QuerySelector(Banner).ShouldBeNull($"{other} does not depend on cluster '{KubernetesFaultFixture.Cluster}'");
            }

            using var sandboxPods = await client.GetAsync(new Uri("/api/v1/environments/dev/pods", UriKind.Relative));
            sandboxPods.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            healIt();
        }

        // (5) Back: the banner goes and the action works, with nobody restarting anything.
        await FaultChecks.EventuallyAsync(async () => (await FaultChecks.PageAsync(client, workloads)).QuerySelector(Banner) is null,
            "the banner to go once the cluster answers");
        await FaultChecks.EventuallyAsync(async () =>
        {
            using var scale = await client.PostAsJsonAsync($"/api/v1/environments/{KubernetesFaultFixture.Environment}/workloads/{KubernetesFaultFixture.Deployment}/scale", new { replicas = 1 });
            FaultChecks.ShouldHaveNoTrace(await scale.Content.ReadAsStringAsync(), "scale after recovery");
            return scale.StatusCode == HttpStatusCode.OK;
        }, "scale to succeed once the cluster answers");
    }
}
