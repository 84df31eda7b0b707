using System.Net;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;

namespace Portal.Kubernetes.Tests.Rest;

public sealed class KubernetesRestClientTests : IAsyncLifetime
{
    private FakeApiServer _server = default!;
    private HttpClient _http = default!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_server.Url) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ListAllAsync_PagesWithLimitAndContinue()
    {
        var pods = await new KubernetesRestClient(_http).ListAllAsync(ResourcePath.Pods("team-a"), KubernetesJson.Default.KubeListPod, pageSize: 2).ToListAsync();

        pods.Select(p => p.Metadata.Name).ShouldBe(["pod-0", "pod-1", "pod-2", "pod-3", "pod-4"]);
        _server.Requests.ShouldBe(["?limit=2", "?limit=2&continue=2", "?limit=2&continue=4"]);
    }

    [Fact]
    public async Task ListAllAsync_ContinueExpired_StartsOverWithoutDuplicates()
    {
        _server.ExpireContinueTimes = 1;

        var pods = await new KubernetesRestClient(_http).ListAllAsync(ResourcePath.Pods("team-a"), KubernetesJson.Default.KubeListPod, pageSize: 2).ToListAsync();

        pods.Select(p => p.Metadata.Name).ShouldBe(["pod-0", "pod-1", "pod-2", "pod-3", "pod-4"]);
        _server.Requests[1].ShouldBe("?limit=2&continue=2");
        _server.Requests[2].ShouldBe("?limit=2", "a fresh list after the 410");
    }

    [Fact]
    public async Task ListPageAsync_Forbidden_CarriesTheApisReasonAndMessage()
    {
        _server.Forbid = true;

        var ex = await Should.ThrowAsync<KubernetesApiException>(() =>
            new KubernetesRestClient(_http).ListPageAsync(ResourcePath.Pods("team-a"), KubernetesJson.Default.KubeListPod, 10, null, null, CancellationToken.None));

        ex.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        ex.Reason.ShouldBe("Forbidden");
        ex.ApiMessage.ShouldContain("cannot list resource \"pods\"");
    }

    [Fact]
    public void ResourcePath_CoreAndGroupPaths() =>
        (ResourcePath.Pods("a").ToString(), new ResourcePath("apps", "v1", "deployments").ToString())
            .ShouldBe(("/api/v1/namespaces/a/pods", "/apis/apps/v1/deployments"));
}
