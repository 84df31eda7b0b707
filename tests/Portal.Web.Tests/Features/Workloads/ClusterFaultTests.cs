using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Core.Authorization;
using Portal.Sandbox.Kubernetes;
using Portal.Testing;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Workloads;

/// <summary>
/// A second cluster that goes away: its environment's pages and API answer 503 with the reason, /readyz says which
/// cluster and why (still 200), the other cluster's environments keep working, and the cache recovers by itself
/// when the cluster comes back.
/// </summary>
public sealed class ClusterFaultTests : IAsyncLifetime
{
    private readonly TempDirectory _remote = new("portal-remote-cluster");
    private readonly int _port = FreePort.Next();
    private PortalAppFactory _app = default!;
    private SandboxCluster? _cluster;

    public async Task InitializeAsync()
    {
        // A real cluster on a fixed port: started once to write its CA, token and kubeconfig, then stopped.
        _cluster = await StartRemoteAsync();
        var kubeconfig = Path.Combine(_remote.Path, "kubeconfig");
        await _cluster.DisposeAsync();
        _cluster = null;

        _app = new PortalAppFactory();
        _app.Settings["Kubernetes:Sandbox:Enabled"] = "true";
        _app.Settings["Kubernetes:Clusters:remote:Kubeconfig"] = kubeconfig;
        _app.Settings["Environments:Clusters:0"] = "remote";
        MatrixAppFactory.AddRoleUsers(_app);
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _remote.Dispose();
    }

    [Fact]
    public async Task ClusterDown_503AndReadyzDegraded_OthersFine_ThenRecovers()
    {
        using var client = await _app.SignInAsync(MatrixAppFactory.UserFor(Roles.PortalAdmin));
        using (var created = await client.PostAsJsonAsync("/api/v1/environments", new
        {
            name = "remote-dev", displayName = "Remote dev", tier = "dev", cluster = "remote", @namespace = "dev", owningTeam = "payments", costCentre = "cc-1",
        }))
        {
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        using (var down = await client.GetAsync(new Uri("/api/v1/environments/remote-dev/pods", UriKind.Relative)))
        {
            down.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            down.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            (await down.Content.ReadAsStringAsync()).ShouldContain("cannot be reached");
        }

        // The page of that environment still renders, with a banner that says which cluster and why.
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.GetStringAsync(new Uri("/environments/remote-dev/workloads", UriKind.Relative)));
        page.QuerySelector("[data-testid='page-workloads']").ShouldNotBeNull();
        var banner = page.QuerySelector("[data-testid='cluster-banner']").ShouldNotBeNull().TextContent;
        banner.ShouldContain("Cluster 'remote' is not answering");
        banner.ShouldContain("cannot be reached");

        var ready = await client.GetFromJsonAsync<JsonElement>("/readyz");
        ready.GetProperty("status").GetString().ShouldBe("Degraded");
        ready.GetProperty("checks").GetProperty("kubernetes").GetProperty("description").GetString()!.ShouldContain("cluster 'remote'");

        using (var fine = await client.GetAsync(new Uri("/api/v1/environments/dev/pods", UriKind.Relative)))
        {
            fine.StatusCode.ShouldBe(HttpStatusCode.OK, "the sandbox's environments do not depend on the remote cluster");
        }

        // The cluster comes back (same CA, token and port): Portal's cache finds it again without anyone acting.
        _cluster = await StartRemoteAsync();
        await WorkloadsApiTests.EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri("/api/v1/environments/remote-dev/pods", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength() > 0
                ? default(JsonElement) : null;
        });
    }

    private Task<SandboxCluster> StartRemoteAsync() =>
        SandboxCluster.StartAsync(new SandboxClusterOptions(_remote.Path) { Port = _port, Timings = Portal.Sandbox.Kubernetes.Runtime.SandboxTimings.Fast }, NullLoggerFactory.Instance);
}
