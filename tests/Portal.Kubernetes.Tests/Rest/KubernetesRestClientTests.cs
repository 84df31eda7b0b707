using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;
using Portal.Testing;

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
    public async Task WatchAsync_RecordedStream_YieldsTheEventsThenThrowsTheExpiredError()
    {
        // A real pod, both bookmark shapes the API server sends, then the 410 ERROR event that ends a watch.
        var stream = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Reference", "watch-pods-stream.ndjson"));
        string? query = null;
        var (app, url) = await LoopbackServer.StartAsync(a => a.MapGet("/api/v1/pods", (HttpRequest request) =>
        {
            query = request.QueryString.Value;
            return Results.Text(stream, "application/json");
        }));
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var events = new List<WatchEvent<Pod>>();

        var error = await Should.ThrowAsync<KubernetesApiException>(async () =>
        {
            await foreach (var e in new KubernetesRestClient(http).WatchAsync(ResourcePath.Pods(), KubernetesJson.Default.Pod, "332900"))
            {
                events.Add(e);
            }
        });

        query.ShouldBe("?watch=true&allowWatchBookmarks=true&resourceVersion=332900&timeoutSeconds=300");
        events.Select(e => (e.Type, e.Object?.Metadata.ResourceVersion)).ShouldBe([("ADDED", "332939"), ("BOOKMARK", "333039"), ("BOOKMARK", "333139")]);
        var pod = events[0].Object.ShouldNotBeNull();
        pod.Metadata.Name.ShouldBe("small-deployment-10-67cc84df8d-88gxr");
        pod.Status.ShouldNotBeNull().Phase.ShouldBe("Pending");
        pod.Spec.ShouldNotBeNull().Containers.ShouldNotBeEmpty();
        error.IsExpired.ShouldBeTrue();
        error.StatusCode.ShouldBe(HttpStatusCode.Gone);
        error.ApiMessage.ShouldBe("too old resource version: 332939 (333439)");
    }

    [Fact]
    public void ResourcePath_CoreAndGroupPaths() =>
        (ResourcePath.Pods("a").ToString(), new ResourcePath("apps", "v1", "deployments").ToString())
            .ShouldBe(("/api/v1/namespaces/a/pods", "/apis/apps/v1/deployments"));
}
