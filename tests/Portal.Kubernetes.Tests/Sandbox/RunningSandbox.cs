using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Kubernetes.Connection;
using Portal.Kubernetes.Rest;
using Portal.Sandbox.Kubernetes;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;
using Portal.Testing;

namespace Portal.Kubernetes.Tests.Sandbox;

/// <summary>
/// A real sandbox API server in this process (HTTPS on loopback, its own CA and token) with one namespace and one
/// node, and Portal's own client stack pointed at it through the kubeconfig it wrote (STYLE.md, habit 4).
/// </summary>
public sealed class RunningSandbox : IAsyncDisposable
{
    public const string Ns = "team";

    private readonly TempDirectory _dir;
    private readonly List<HttpClient> _clients = [];

    private RunningSandbox(TempDirectory dir, SandboxCluster cluster)
    {
        _dir = dir;
        Cluster = cluster;
    }

    public SandboxCluster Cluster { get; }

    public ObjectStore Store => Cluster.Store;

    public string Directory => _dir.Path;

    public ClusterConnection Connection => KubeconfigLoader.Load(Cluster.KubeconfigPath);

    public static async Task<RunningSandbox> StartAsync(int historyCapacity = 20_000, TimeProvider? clock = null)
    {
        var dir = new TempDirectory("k8s-sandbox");
        var options = new SandboxClusterOptions(dir.Path) { Port = 0, Timings = SandboxTimings.Fast, Seed = false, HistoryCapacity = historyCapacity };
        var cluster = await SandboxCluster.StartAsync(options, NullLoggerFactory.Instance, clock);
        cluster.Store.Create(ResourceTypes.Namespaces, Obj($$"""{ "metadata": { "name": "{{Ns}}" } }"""));
        cluster.Store.Create(ResourceTypes.Nodes, Obj("""
            { "metadata": { "name": "node-1" },
              "status": { "allocatable": { "cpu": "8", "memory": "32Gi", "pods": "110" }, "conditions": [ { "type": "Ready", "status": "True" } ] } }
            """));
        return new RunningSandbox(dir, cluster);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Cluster.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>An HttpClient built the way Portal builds one for a cluster (disposed with the sandbox).</summary>
    public HttpClient Http(ClusterConnection? connection = null)
    {
        var http = ClusterHttp.CreateClient(connection ?? Connection, new ExecCredentialProvider(TimeProvider.System));
        _clients.Add(http);
        return http;
    }

    public KubernetesRestClient Client(ClusterConnection? connection = null) => new(Http(connection));

    public JsonObject Create(ResourceType type, string json) => Store.Create(type, Obj(json));

    public JsonObject CreateDeployment(string name, int replicas, string image = "web:1") => Create(ResourceTypes.Deployments, $$"""
        { "metadata": { "name": "{{name}}", "namespace": "{{Ns}}" },
          "spec": { "replicas": {{replicas}}, "selector": { "matchLabels": { "app": "{{name}}" } },
                    "template": { "metadata": { "labels": { "app": "{{name}}" } }, "spec": { "containers": [ { "name": "app", "image": "{{image}}" } ] } } } }
        """);

    /// <summary>Pods of the namespace that are running and not being deleted.</summary>
    public IEnumerable<JsonObject> RunningPods() => Store.List(ResourceTypes.Pods, Ns).Where(p =>
        p["metadata"]?["deletionTimestamp"] is null && p["status"]?["phase"]?.GetValue<string>() == "Running");

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>Waits for something the cluster does on its own (its controllers run on their own loop).</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"timed out waiting until {what}");
            }

            await Task.Delay(20);
        }
    }
}
