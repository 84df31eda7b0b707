using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Sandbox.Kubernetes.Controllers;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;
using Portal.Testing;

namespace Portal.Sandbox.Tests.Kubernetes;

/// <summary>
/// A store with the sandbox's admission plugins, a few Ready nodes and one namespace, and its controllers driven
/// by hand: every <see cref="Step"/> moves a fake clock and runs each controller once, so tests see every state.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public const string Ns = "team";

    public TestCluster(int nodes = 2, string cpu = "4", string memory = "8Gi", SandboxTimings? timings = null, int historyCapacity = 20_000)
    {
        Store = new ObjectStore(Clock, historyCapacity);
        Store.Admission.Add(new LimitRanger());
        Store.Admission.Add(new ResourceQuotaAdmission());
        for (var i = 1; i <= nodes; i++)
        {
            Store.Create(ResourceTypes.Nodes, Node($"node-{i}", cpu, memory));
        }

        Store.Create(ResourceTypes.Namespaces, Obj($$"""{ "metadata": { "name": "{{Ns}}" } }"""));
        Timings = timings ?? SandboxTimings.Fast;
        Controllers = new ClusterControllers(Store, Timings, NullLogger.Instance);
    }

    public FakeClock Clock { get; } = new();

    public ObjectStore Store { get; }

    public ClusterControllers Controllers { get; }

    public SandboxTimings Timings { get; }

    public ValueTask DisposeAsync() => Controllers.DisposeAsync();

    /// <summary>Moves the clock (50 ms unless told) and runs every controller once.</summary>
    public void Step(TimeSpan? by = null)
    {
        Clock.Advance(by ?? TimeSpan.FromMilliseconds(50));
        Controllers.ReconcileOnce();
    }

    /// <summary>Steps until <paramref name="done"/> holds, running <paramref name="check"/> after every step.</summary>
    public void StepUntil(Func<bool> done, Action? check = null, int maxSteps = 400, TimeSpan? by = null)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            if (done())
            {
                return;
            }

            Step(by);
            check?.Invoke();
        }

        throw new ShouldAssertException($"the cluster did not get there in {maxSteps} steps");
    }

    public IReadOnlyList<JsonObject> Pods() => Store.List(ResourceTypes.Pods, Ns);

    public IReadOnlyList<JsonObject> EventsAbout(JsonObject o) =>
        [.. Store.List(ResourceTypes.Events, Ns).Where(e => J.Str(e, "involvedObject", "uid") == J.Uid(o))];

    public JsonObject Create(ResourceType type, string json) => Store.Create(type, Obj(json));

    public JsonObject CreateDeployment(string name, string image, int replicas, string strategy = """{ "type": "RollingUpdate" }""", string resources = "{}") =>
        Create(ResourceTypes.Deployments, $$"""
            { "metadata": { "name": "{{name}}", "namespace": "{{Ns}}" },
              "spec": { "replicas": {{replicas}}, "selector": { "matchLabels": { "app": "{{name}}" } }, "strategy": {{strategy}},
                        "template": { "metadata": { "labels": { "app": "{{name}}" } },
                                      "spec": { "containers": [ { "name": "app", "image": "{{image}}", "resources": {{resources}} } ] } } } }
            """);

    public JsonObject CreatePod(string name, string image, string? nodeName = null, string resources = "{}") =>
        Create(ResourceTypes.Pods, $$"""
            { "metadata": { "name": "{{name}}", "namespace": "{{Ns}}", "labels": { "app": "{{name}}" } },
              "spec": { {{(nodeName is null ? "" : $"\"nodeName\": \"{nodeName}\",")}} "containers": [ { "name": "app", "image": "{{image}}", "resources": {{resources}} } ] },
              "status": { "phase": "Pending" } }
            """);

    /// <summary>Sets a deployment's container image, as <c>kubectl set image</c> does.</summary>
    public JsonObject SetImage(string deployment, string image) =>
        Store.Mutate(ResourceTypes.Deployments, Ns, deployment, d =>
        {
            ((JsonObject)J.At(d, "spec", "template", "spec", "containers")!.AsArray()[0]!)["image"] = image;
            return true;
        })!;

    public static bool IsReady(JsonObject pod) => Kubelet.IsReady(pod) && !J.IsTerminating(pod);

    public static string? Waiting(JsonObject pod) => J.Str(J.At(pod, "status", "containerStatuses")?.AsArray()[0], "state", "waiting", "reason");

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonObject Node(string name, string cpu, string memory) => Obj($$"""
        { "metadata": { "name": "{{name}}", "labels": { "kubernetes.io/hostname": "{{name}}" } },
          "status": { "allocatable": { "cpu": "{{cpu}}", "memory": "{{memory}}", "pods": "110" },
                      "conditions": [ { "type": "Ready", "status": "True" } ] } }
        """);
}
