using System.Globalization;
using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Controllers;

/// <summary>
/// The kubelets of every sandbox node: pulls images (a tag containing <c>bad</c> fails with ErrImagePull, then
/// ImagePullBackOff), starts containers, marks them ready, crashes <c>crash</c> images with restarts and the
/// CrashLoopBackOff back-off, keeps pod phase and conditions, and finishes graceful deletion.
/// </summary>
public sealed class Kubelet(ObjectStore store, EventRecorder events, SandboxTimings timings)
{
    private const string Component = "kubelet";

    /// <summary>When each waiting container entered its current waiting reason (the kubelet's own memory).</summary>
    private readonly Dictionary<string, DateTimeOffset> _since = [];

    public void Reconcile()
    {
        var now = store.Clock.GetUtcNow();
        var nodes = store.List(ResourceTypes.Nodes).Select(J.Name).ToList();
        foreach (var pod in store.List(ResourceTypes.Pods))
        {
            if (J.Str(pod, "spec", "nodeName") is not { } node)
            {
                continue;
            }

            if (J.IsTerminating(pod))
            {
                var deadline = J.ParseTime(J.Str(pod, "metadata", "deletionTimestamp")) ?? now;
                var grace = TimeSpan.FromSeconds(J.Long(pod, "metadata", "deletionGracePeriodSeconds") ?? 0);
                var stopAt = deadline - grace + (grace < timings.Termination ? grace : timings.Termination);
                if (now >= stopAt)
                {
                    store.Remove(ResourceTypes.Pods, J.Namespace(pod), J.Name(pod));
                    foreach (var key in _since.Keys.Where(k => k.StartsWith(J.Uid(pod), StringComparison.Ordinal)).ToList())
                    {
                        _since.Remove(key);
                    }
                }

                continue;
            }

            if (J.Str(pod, "status", "phase") is "Succeeded" or "Failed")
            {
                continue;
            }

            if (IsSteady(pod))
            {
                continue;   // running and ready, nothing timed pending: no copy, no write (thousands of pods stay cheap)
            }

            var changes = new List<(string Type, string Reason, string Message)>();
            var updated = store.Mutate(ResourceTypes.Pods, J.Namespace(pod), J.Name(pod), p => Step(p, Math.Max(0, nodes.IndexOf(node)), now, changes));
            foreach (var (type, reason, message) in changes)
            {
                events.Record(updated ?? pod, Component, type, reason, message);
            }
        }
    }

    /// <summary>A running pod whose containers are all ready and none of which will crash: the kubelet has nothing to do.</summary>
    private static bool IsSteady(JsonObject pod)
    {
        if (J.Str(pod, "status", "phase") != "Running" || !IsReady(pod))
        {
            return false;
        }

        var statuses = J.Objects(J.At(pod, "status", "containerStatuses")).ToList();
        var containers = J.Objects(J.At(pod, "spec", "containers")).ToList();
        return statuses.Count == containers.Count
            && statuses.All(c => (J.Bool(c, "ready") ?? false) && J.At(c, "state", "running") is not null)
            && containers.All(c => !(J.Str(c, "image") ?? "").Split('/')[^1].Contains("crash", StringComparison.Ordinal));
    }

    public static bool IsReady(JsonObject pod) =>
        J.Objects(J.At(pod, "status", "conditions")).Any(c => J.Str(c, "type") == "Ready" && J.Str(c, "status") == "True");

    public static DateTimeOffset? ReadySince(JsonObject pod) =>
        J.ParseTime(J.Objects(J.At(pod, "status", "conditions")).Where(c => J.Str(c, "type") == "Ready").Select(c => J.Str(c, "lastTransitionTime")).FirstOrDefault());

    public static bool NodeReady(JsonObject node) =>
        J.Objects(J.At(node, "status", "conditions")).Any(c => J.Str(c, "type") == "Ready" && J.Str(c, "status") == "True");

    /// <summary>Sets a pod condition; says whether it changed. The transition time moves only when the status does.</summary>
    public static bool SetCondition(JsonObject pod, string type, string status, DateTimeOffset now, string? reason = null, string? message = null)
    {
        var conditions = J.Arr(J.Obj(pod, "status"), "conditions");
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => J.Str(c, "type") == type);
        if (existing is not null && J.Str(existing, "status") == status && J.Str(existing, "reason") == reason && J.Str(existing, "message") == message)
        {
            return false;
        }

        var condition = new JsonObject { ["type"] = type, ["status"] = status, ["lastProbeTime"] = null };
        condition["lastTransitionTime"] = existing is not null && J.Str(existing, "status") == status ? J.Str(existing, "lastTransitionTime") : J.Time(now);
        if (reason is not null)
        {
            condition["reason"] = reason;
        }

        if (message is not null)
        {
            condition["message"] = message;
        }

        if (existing is null)
        {
            conditions.Add(condition);
        }
        else
        {
            conditions[conditions.IndexOf(existing)] = condition;
        }

        return true;
    }

    private bool Step(JsonObject pod, int nodeIndex, DateTimeOffset now, List<(string, string, string)> emitted)
    {
        var before = pod["status"]?.DeepClone();
        var status = J.Obj(pod, "status");
        var uid = J.Uid(pod);
        var podName = J.Name(pod);
        var ns = J.Namespace(pod);
        status["hostIP"] ??= $"172.18.0.{2 + nodeIndex}";
        status["podIP"] ??= $"10.244.{nodeIndex}.{2 + (SimulatedWorkload.Hash(uid, "", "") % 250)}";
        status["startTime"] ??= J.Time(now);
        var statuses = J.Arr(status, "containerStatuses");
        var allReady = true;
        var everRan = false;

        foreach (var container in J.Objects(J.At(pod, "spec", "containers")).ToList())
        {
            var name = J.Str(container, "name") ?? "";
            var image = J.Str(container, "image") ?? "";
            var key = $"{uid}/{name}";
            var cs = statuses.OfType<JsonObject>().FirstOrDefault(c => J.Str(c, "name") == name);
            if (cs is null)
            {
                cs = new JsonObject
                {
                    ["name"] = name,
                    ["image"] = image,
                    ["imageID"] = "",
                    ["ready"] = false,
                    ["restartCount"] = 0,
                    ["started"] = false,
                    ["state"] = Waiting("ContainerCreating", null),
                    ["lastState"] = new JsonObject(),
                };
                statuses.Add(cs);
                _since[key] = now;
            }

            var since = _since.TryGetValue(key, out var s) ? s : _since[key] = now;
            var waiting = J.Str(cs, "state", "waiting", "reason");
            var tag = image.Contains(':', StringComparison.Ordinal) ? image[(image.LastIndexOf(':') + 1)..] : "latest";
            var restarts = (int)(J.Long(cs, "restartCount") ?? 0);
            switch (waiting)
            {
                case "ContainerCreating" or "ImagePullBackOff" when now - since >= (waiting == "ImagePullBackOff" ? timings.BackOffBase : timings.ImagePull):
                    emitted.Add(("Normal", "Pulling", $"Pulling image \"{image}\""));
                    if (tag.Contains("bad", StringComparison.Ordinal))
                    {
                        var why = $"failed to pull and unpack image \"{Qualified(image)}\": failed to resolve reference \"{Qualified(image)}\": {Qualified(image)}: not found";
                        cs["state"] = Waiting("ErrImagePull", $"rpc error: code = NotFound desc = {why}");
                        emitted.Add(("Warning", "Failed", $"Failed to pull image \"{image}\": rpc error: code = NotFound desc = {why}"));
                        emitted.Add(("Warning", "Failed", "Error: ErrImagePull"));
                    }
                    else
                    {
                        Start(cs, image, now, uid, name, restarts);
                        emitted.Add(("Normal", "Pulled", $"Successfully pulled image \"{image}\" in {timings.ImagePull.TotalMilliseconds:0}ms ({timings.ImagePull.TotalMilliseconds:0}ms including waiting). Image size: {48_213_000 + (SimulatedWorkload.Hash(image, "", "") % 9_000_000)} bytes."));
                        emitted.Add(("Normal", "Created", $"Created container: {name}"));
                        emitted.Add(("Normal", "Started", $"Started container {name}"));
                    }

                    _since[key] = now;
                    break;
                case "ErrImagePull" when now - since >= timings.ImagePull:
                    cs["state"] = Waiting("ImagePullBackOff", $"Back-off pulling image \"{image}\": ErrImagePull: {J.Str(cs, "state", "waiting", "message")}");
                    emitted.Add(("Normal", "BackOff", $"Back-off pulling image \"{image}\""));
                    emitted.Add(("Warning", "Failed", "Error: ImagePullBackOff"));
                    _since[key] = now;
                    break;
                case "CrashLoopBackOff" when now - since >= BackOff(restarts):
                    Start(cs, image, now, uid, name, restarts);
                    emitted.Add(("Normal", "Pulled", $"Container image \"{image}\" already present on machine"));
                    emitted.Add(("Normal", "Created", $"Created container: {name}"));
                    emitted.Add(("Normal", "Started", $"Started container {name}"));
                    _since[key] = now;
                    break;
            }

            if (J.ParseTime(J.Str(cs, "state", "running", "startedAt")) is { } startedAt)
            {
                // startedAt has whole seconds; the kubelet's own note of the start, when it has one, is exact.
                var started = _since.TryGetValue(key, out var exact) && exact >= startedAt && exact - startedAt < TimeSpan.FromSeconds(1) ? exact : startedAt;
                if (tag.Contains("crash", StringComparison.Ordinal) && now - started >= timings.CrashAfter)
                {
                    cs["lastState"] = new JsonObject
                    {
                        ["terminated"] = new JsonObject
                        {
                            ["exitCode"] = 1,
                            ["reason"] = "Error",
                            ["startedAt"] = J.Str(cs, "state", "running", "startedAt"),
                            ["finishedAt"] = J.Time(now),
                            ["containerID"] = J.Str(cs, "containerID"),
                        },
                    };
                    cs["restartCount"] = restarts + 1;
                    cs["ready"] = false;
                    cs["started"] = false;
                    cs["state"] = Waiting("CrashLoopBackOff", $"back-off {BackOff(restarts + 1).TotalSeconds:0}s restarting failed container={name} pod={podName}_{ns}({uid})");
                    emitted.Add(("Warning", "BackOff", $"Back-off restarting failed container {name} in pod {podName}_{ns}({uid})"));
                    _since[key] = now;
                }
                else if (!(J.Bool(cs, "ready") ?? false) && now - started >= ReadinessDelay(container))
                {
                    cs["ready"] = true;
                }
            }

            everRan |= J.At(cs, "state", "running") is not null || J.At(cs, "lastState", "terminated") is not null;
            allReady &= J.Bool(cs, "ready") ?? false;
        }

        status["phase"] = everRan ? "Running" : "Pending";
        SetCondition(pod, "PodReadyToStartContainers", "True", now);
        SetCondition(pod, "Initialized", "True", now);
        SetCondition(pod, "ContainersReady", allReady ? "True" : "False", now, allReady ? null : "ContainersNotReady", allReady ? null : $"containers with unready status: [{string.Join(" ", J.Objects(statuses).Where(c => !(J.Bool(c, "ready") ?? false)).Select(c => J.Str(c, "name")))}]");
        SetCondition(pod, "Ready", allReady ? "True" : "False", now, allReady ? null : "ContainersNotReady", allReady ? null : $"containers with unready status: [{string.Join(" ", J.Objects(statuses).Where(c => !(J.Bool(c, "ready") ?? false)).Select(c => J.Str(c, "name")))}]");
        return !JsonNode.DeepEquals(before, pod["status"]);
    }

    private static void Start(JsonObject cs, string image, DateTimeOffset now, string uid, string name, int restarts)
    {
        cs["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = J.Time(now) } };
        cs["started"] = true;
        cs["ready"] = false;
        cs["imageID"] = $"{Qualified(image).Split(':')[0]}@sha256:{SimulatedWorkload.Hash(image, "", ""):x16}{SimulatedWorkload.Hash(image, "id", ""):x16}{SimulatedWorkload.Hash(image, "id2", ""):x16}{SimulatedWorkload.Hash(image, "id3", ""):x16}";
        cs["containerID"] = $"containerd://{SimulatedWorkload.Hash(uid, name, restarts.ToString(CultureInfo.InvariantCulture)):x16}{SimulatedWorkload.Hash(name, uid, "c"):x16}";
    }

    private TimeSpan ReadinessDelay(JsonObject container) =>
        J.Long(container, "readinessProbe", "initialDelaySeconds") is { } delay && delay * 1000 < timings.Readiness.TotalMilliseconds * 30
            ? TimeSpan.FromSeconds(delay)
            : timings.Readiness;

    private TimeSpan BackOff(int restarts)
    {
        var backOff = timings.BackOffBase * Math.Pow(2, Math.Max(0, restarts - 1));
        return backOff > timings.BackOffMax ? timings.BackOffMax : backOff;
    }

    private static JsonObject Waiting(string reason, string? message)
    {
        var waiting = new JsonObject { ["reason"] = reason };
        if (message is not null)
        {
            waiting["message"] = message;
        }

        return new JsonObject { ["waiting"] = waiting };
    }

    private static string Qualified(string image) => image.Contains('/', StringComparison.Ordinal) ? image : $"docker.io/library/{image}";
}
