using Portal.Core.Resources;
using System.Text.Json.Nodes;
using Portal.Kubernetes.Model;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Controllers;

/// <summary>
/// Binds pending pods to nodes by requested CPU and memory (least allocated first), honouring nodeSelector and the
/// node's pod limit; a pod that fits nowhere stays Pending with PodScheduled=False and a FailedScheduling event that
/// says why, in the scheduler's words, and is tried again later.
/// </summary>
internal sealed class Scheduler(ObjectStore store, EventRecorder events, SandboxTimings timings)
{
    private const string Component = "default-scheduler";
    private readonly Dictionary<string, DateTimeOffset> _retryAt = [];

    public void Reconcile()
    {
        var now = store.Clock.GetUtcNow();
        var pending = store.List(ResourceTypes.Pods)
            .Where(p => J.Str(p, "spec", "nodeName") is null && !J.IsTerminating(p) && !(_retryAt.TryGetValue(J.Uid(p), out var at) && now < at))
            .OrderBy(p => J.Str(p, "metadata", "creationTimestamp"), StringComparer.Ordinal)
            .ToList();
        if (_retryAt.Count > 0)
        {
            // Forget pods that are no longer pending (bound, or deleted while waiting).
            var waiting = store.List(ResourceTypes.Pods).Where(p => J.Str(p, "spec", "nodeName") is null).Select(J.Uid).ToHashSet();
            foreach (var uid in _retryAt.Keys.Where(u => !waiting.Contains(u)).ToList())
            {
                _retryAt.Remove(uid);
            }
        }

        if (pending.Count == 0)
        {
            return;
        }

        var nodes = store.List(ResourceTypes.Nodes);
        var usage = nodes.ToDictionary(J.Name, _ => (Cpu: 0L, Memory: 0L, Pods: 0L));
        foreach (var pod in store.List(ResourceTypes.Pods))
        {
            if (J.Str(pod, "spec", "nodeName") is { } node && usage.TryGetValue(node, out var u) && J.Str(pod, "status", "phase") is not ("Succeeded" or "Failed"))
            {
                var r = PodResources.Of(pod);
                usage[node] = (u.Cpu + r.CpuRequest, u.Memory + r.MemoryRequest, u.Pods + 1);
            }
        }

        foreach (var pod in pending)
        {
            var request = PodResources.Of(pod);
            var selector = J.StringMap(J.At(pod, "spec", "nodeSelector"));
            var reasons = new Dictionary<string, int>();
            JsonObject? best = null;
            var bestFree = double.MinValue;
            foreach (var node in nodes)
            {
                var name = J.Name(node);
                var cpu = Quantity.CpuMillis(J.Str(node, "status", "allocatable", "cpu"));
                var memory = Quantity.Bytes(J.Str(node, "status", "allocatable", "memory"));
                var maxPods = J.Long(node, "status", "allocatable", "pods") ?? long.Parse(J.Str(node, "status", "allocatable", "pods") ?? "110", System.Globalization.CultureInfo.InvariantCulture);
                var used = usage[name];
                var why = new List<string>();
                if (!Kubelet.NodeReady(node) || (J.Bool(node, "spec", "unschedulable") ?? false))
                {
                    why.Add("node(s) were unschedulable");
                }

                if (selector.Any(s => J.Labels(node).GetValueOrDefault(s.Key) != s.Value))
                {
                    why.Add("node(s) didn't match Pod's node affinity/selector");
                }

                if (used.Pods + 1 > maxPods)
                {
                    why.Add("Too many pods");
                }

                if (used.Cpu + request.CpuRequest > cpu)
                {
                    why.Add("Insufficient cpu");
                }

                if (used.Memory + request.MemoryRequest > memory)
                {
                    why.Add("Insufficient memory");
                }

                foreach (var w in why)
                {
                    reasons[w] = reasons.GetValueOrDefault(w) + 1;
                }

                var free = cpu == 0 ? 0 : (cpu - used.Cpu - request.CpuRequest) / (double)cpu + ((memory - used.Memory - request.MemoryRequest) / (double)Math.Max(1, memory));
                if (why.Count == 0 && free > bestFree)
                {
                    best = node;
                    bestFree = free;
                }
            }

            if (best is null)
            {
                var message = $"0/{nodes.Count} nodes are available: {string.Join(", ", reasons.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Value} {r.Key}"))}. preemption: 0/{nodes.Count} nodes are available: {nodes.Count} No preemption victims found for incoming pod.";
                var updated = store.Mutate(ResourceTypes.Pods, J.Namespace(pod), J.Name(pod), p =>
                    Kubelet.SetCondition(p, "PodScheduled", "False", now, "Unschedulable", message));
                if (updated is not null)
                {
                    events.Warning(updated, Component, "FailedScheduling", message);
                }

                _retryAt[J.Uid(pod)] = now + timings.ScheduleRetry;
                continue;
            }

            var nodeName = J.Name(best);
            var bound = store.Mutate(ResourceTypes.Pods, J.Namespace(pod), J.Name(pod), p =>
            {
                J.Obj(p, "spec")["nodeName"] = nodeName;
                Kubelet.SetCondition(p, "PodScheduled", "True", now);
                return true;
            });
            if (bound is not null)
            {
                var u = usage[nodeName];
                usage[nodeName] = (u.Cpu + request.CpuRequest, u.Memory + request.MemoryRequest, u.Pods + 1);
                _retryAt.Remove(J.Uid(pod));
                events.Normal(bound, Component, "Scheduled", $"Successfully assigned {J.Namespace(pod)}/{J.Name(pod)} to {nodeName}");
            }
        }
    }
}
