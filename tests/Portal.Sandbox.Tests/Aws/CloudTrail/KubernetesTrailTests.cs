using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Core.Alarms;
using Portal.Kubernetes.Connection;
using Portal.Sandbox.Aws;
using Portal.Sandbox.Aws.CloudTrail;
using Portal.Sandbox.Kubernetes;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Testing;

namespace Portal.Sandbox.Tests.Aws.CloudTrail;

/// <summary>The sandbox Kubernetes API's writes, made with the portal's own client stack, as trail events.</summary>
public sealed class KubernetesTrailTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("sandbox-k8s-trail");
    private SandboxCluster _cluster = default!;
    private SandboxAws _aws = default!;
    private HttpClient _kube = default!;

    public async Task InitializeAsync()
    {
        _cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions(_dir.Path) { Timings = SandboxTimings.Fast, Seed = false }, NullLoggerFactory.Instance);
        _aws = await SandboxAws.StartAsync(_cluster, _dir.Path, NullLoggerFactory.Instance, SandboxTimings.Fast);
        _kube = ClusterHttp.CreateClient(KubeconfigLoader.Load(_cluster.KubeconfigPath), new ExecCredentialProvider(TimeProvider.System));
        (await _kube.PostAsync("/api/v1/namespaces", Json("""{ "metadata": { "name": "shop" } }"""))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    public async Task DisposeAsync()
    {
        _kube.Dispose();
        await _aws.DisposeAsync();
        await _cluster.DisposeAsync();
        _dir.Dispose();
    }

    private static StringContent Json(string json, string contentType = "application/json") => new(json, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType));

    private List<TrailRecord> Events() =>
        [.. _aws.Trail.Lookup(e => e.EventSource == KubernetesTrail.EventSource, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 50, null).Events.Reverse()];

    [Fact]
    public async Task Writes_BecomeEventsNamedByVerbAndKind()
    {
        const string Deployment = """
            { "metadata": { "name": "cart" }, "spec": { "replicas": 1, "selector": { "matchLabels": { "app": "cart" } },
              "template": { "metadata": { "labels": { "app": "cart" } }, "spec": { "containers": [ { "name": "app", "image": "shop/cart:1" } ] } } } }
            """;
        (await _kube.PostAsync("/apis/apps/v1/namespaces/shop/deployments?fieldManager=portal-deploy", Json(Deployment))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _kube.PatchAsync("/apis/apps/v1/namespaces/shop/deployments/cart/scale", Json("""{ "spec": { "replicas": 3 } }""", "application/merge-patch+json"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _kube.PostAsync("/api/v1/namespaces/shop/resourcequotas", Json("""{ "metadata": { "name": "quota" }, "spec": { "hard": { "pods": "10" } } }"""))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _kube.DeleteAsync("/api/v1/namespaces/shop/resourcequotas/quota")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var events = Events();

        events.Select(e => e.EventName).ShouldBe(["CreateNamespace", "CreateDeployment", "PatchDeploymentScale", "CreateResourceQuota", "DeleteResourceQuota"]);
        events.ShouldAllBe(e => e.Username == "portal" && !e.ReadOnly);
        events[0].Resources.ShouldBe([new TrailResource("v1/Namespace", "shop")]);
        events[4].Resources.ShouldBe([new TrailResource("v1/ResourceQuota", "shop/quota")]);
        var created = JsonNode.Parse(events[1].CloudTrailEvent)!;
        ((string?)created["requestParameters"]!["fieldManager"]).ShouldBe("portal-deploy");
        ((string?)created["userAgent"]).ShouldStartWith("Portal/1.0");
        ((string?)created["userIdentity"]!["userName"]).ShouldBe("portal");
        ((string?)JsonNode.Parse(events[2].CloudTrailEvent)!["requestParameters"]!["subresource"]).ShouldBe("scale");
    }

    [Fact]
    public async Task DryRunsAndFailures_AreNotChanges()
    {
        var before = Events().Count;

        (await _kube.PostAsync("/api/v1/namespaces/shop/configmaps?dryRun=All", Json("""{ "metadata": { "name": "c" } }"""))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _kube.PostAsync("/api/v1/namespaces", Json("""{ "metadata": { "name": "shop" } }"""))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await _kube.DeleteAsync("/api/v1/namespaces/shop/configmaps/missing")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        Events().Count.ShouldBe(before);
    }

    [Fact]
    public async Task SecretWrite_RecordsItsNameNeverItsData()
    {
        (await _kube.PostAsync("/api/v1/namespaces/shop/secrets", Json("""{ "metadata": { "name": "db" }, "stringData": { "password": "hunter2-s3cr3t" } }"""))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var secret = Events().Single(e => e.EventName == "CreateSecret");
        secret.Resources.ShouldBe([new TrailResource("v1/Secret", "shop/db")]);
        secret.CloudTrailEvent.ShouldNotContain("hunter2-s3cr3t");
        secret.CloudTrailEvent.ShouldNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("hunter2-s3cr3t")));
    }
}
