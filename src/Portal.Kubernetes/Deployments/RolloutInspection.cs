using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Core.Deployments;
using Portal.Kubernetes.Model;

namespace Portal.Kubernetes.Deployments;

/// <summary>
/// Reads a rollout from its Deployment, ReplicaSets and pods as <c>kubectl rollout status</c> would, and names what
/// stops it in words a developer can act on. Only the newest template counts: an old pod that crashes is not the
/// new release's problem, and nothing counts until the controller has seen the latest spec.
/// </summary>
internal static partial class RolloutInspection
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    private const string TemplateHashLabel = "pod-template-hash";

    public static RolloutStatus Inspect(Deployment deployment, IReadOnlyList<ReplicaSet> replicaSets, IReadOnlyList<Pod> pods, DateTimeOffset now)
    {
        var status = deployment.Status;
        var observed = status?.ObservedGeneration is { } seen && seen >= MetadataLong(deployment, "generation");
        var sets = replicaSets.Where(rs => IsControlledBy(rs, deployment.Metadata.Uid)).ToList();
        var revision = deployment.Metadata.Annotations?.GetValueOrDefault(RevisionAnnotation);
        var newest = observed && revision is not null
            ? sets.FirstOrDefault(rs => rs.Metadata.Annotations?.GetValueOrDefault(RevisionAnnotation) == revision)
            : null;
        var hashes = sets.Select(TemplateHash).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var newestHash = newest is null ? null : TemplateHash(newest);
        var ours = pods.Where(p => TemplateHash(p) is { } h && hashes.Contains(h))
            .OrderBy(p => p.Metadata.CreationTimestamp).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();

        var problems = new List<Found>();
        var rolloutPods = new List<RolloutPod>();
        foreach (var pod in ours)
        {
            var current = newestHash is not null && TemplateHash(pod) == newestHash && pod.Metadata.DeletionTimestamp is null;
            rolloutPods.Add(RowOf(pod, current));
            if (current)
            {
                problems.AddRange(PodProblems(pod, now));
            }
        }

        if (observed)
        {
            var failure = newest is not null ? ReplicaFailure(newest.Status?.Conditions) : ReplicaFailure(status?.Conditions);
            if (failure is not null && AdmissionProblem(newest?.Metadata.Name ?? deployment.Metadata.Name ?? "", failure, now) is { } refused)
            {
                problems.Add(refused);
            }

            if (status?.Conditions?.FirstOrDefault(c => c.Type == "Progressing" && c.Status == "False" && c.Reason == "ProgressDeadlineExceeded") is { } stalled)
            {
                var deadline = deployment.Spec?.Extra?.TryGetValue("progressDeadlineSeconds", out var d) == true && d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var seconds) ? seconds : 600;
                problems.Add(new(RolloutProblems.ProgressDeadlineExceeded,
                    $"The rollout of {deployment.Metadata.Name} made no progress for {deadline} seconds (ProgressDeadlineExceeded): {stalled.Message?.TrimEnd('.')}. " +
                    "The pods' problems say why; fix the cause and deploy again, or roll back to the last good release.",
                    stalled.LastTransitionTime ?? now));
            }
        }

        return new RolloutStatus
        {
            Exists = true,
            Desired = deployment.Spec?.Replicas ?? 1,
            Updated = status?.UpdatedReplicas ?? 0,
            Ready = status?.ReadyReplicas ?? 0,
            Available = status?.AvailableReplicas ?? 0,
            Total = status?.Replicas ?? 0,
            Observed = observed,
            Pods = rolloutPods,
            Problems = Summarize(problems),
        };
    }

    /// <summary>One problem per cause: the earliest seen, saying how many other pods share it.</summary>
    private static List<RolloutProblem> Summarize(List<Found> found) =>
        [.. found.GroupBy(f => f.Reason)
            .Select(g =>
            {
                var first = g.OrderBy(f => f.Since).First();
                var others = g.Count() - 1;
                var message = others == 0 ? first.Message : $"{first.Message} {others} more {(others == 1 ? "pod shows" : "pods show")} the same.";
                return new RolloutProblem(first.Reason, message, first.Since);
            })
            .OrderBy(p => p.Since).ThenBy(p => p.Reason, StringComparer.Ordinal)];

    private static RolloutPod RowOf(Pod pod, bool current)
    {
        var statuses = pod.Status?.ContainerStatuses ?? [];
        var waiting = statuses.Select(c => c.State?.Waiting).FirstOrDefault(w => w?.Reason is not null);
        var unschedulable = Unschedulable(pod);
        return new RolloutPod(
            pod.Metadata.Name ?? "",
            pod.Status?.Phase ?? "Pending",
            pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.IsTrue) ?? false,
            statuses.Sum(c => c.RestartCount),
            waiting?.Reason ?? unschedulable?.Reason,
            waiting?.Message ?? unschedulable?.Message,
            current,
            pod.Metadata.CreationTimestamp,
            pod.Spec?.NodeName);
    }

    private static IEnumerable<Found> PodProblems(Pod pod, DateTimeOffset now)
    {
        var name = pod.Metadata.Name ?? "";
        var since = pod.Metadata.CreationTimestamp ?? pod.Status?.StartTime ?? now;
        foreach (var container in pod.Status?.ContainerStatuses ?? [])
        {
            var image = pod.Spec?.Containers.FirstOrDefault(c => c.Name == container.Name)?.Image ?? container.Image ?? "";
            switch (container.State?.Waiting?.Reason)
            {
                case "ImagePullBackOff" or "ErrImagePull":
                    yield return new(RolloutProblems.ImagePullBackOff,
                        $"The image {image} could not be pulled (ImagePullBackOff{(container.State.Waiting.Reason == "ErrImagePull" ? ", after ErrImagePull" : "")}): the tag may not exist or the registry refused access. " +
                        $"Check that the tag was pushed and that the cluster may pull from the registry (pod {name}, container {container.Name}).",
                        since);
                    break;
                case "CrashLoopBackOff":
                    var last = container.LastState?.Terminated;
                    var exit = last is null ? "" : $", last exiting with code {last.ExitCode}{(last.Reason is null ? "" : $" ({last.Reason})")}";
                    yield return new(RolloutProblems.CrashLoopBackOff,
                        $"Container {container.Name} of pod {name} keeps crashing (CrashLoopBackOff): it has restarted {container.RestartCount} " +
                        $"{(container.RestartCount == 1 ? "time" : "times")}{exit}. Read the logs of its previous run to see why it stops.",
                        since);
                    break;
            }
        }

        if (Unschedulable(pod) is { } condition)
        {
            yield return new(RolloutProblems.Unschedulable,
                $"Pod {name} cannot be scheduled: {SchedulerInWords(condition.Message ?? "")} (the scheduler says: {condition.Message}). " +
                "Lower the service's CPU or memory requests or its replicas, or ask the cluster's operators for more capacity.",
                condition.LastTransitionTime ?? since);
        }
    }

    private static Condition? Unschedulable(Pod pod) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False" && c.Reason == "Unschedulable");

    private static readonly (string Says, string Means)[] SchedulerReasons =
    [
        ("Insufficient cpu", "no node has enough free CPU"),
        ("Insufficient memory", "no node has enough free memory"),
        ("Too many pods", "the nodes already run as many pods as they can"),
        ("didn't match Pod's node affinity/selector", "no node matches the pod's node selector"),
        ("untolerated taint", "the nodes have taints the pod does not tolerate"),
        ("were unschedulable", "nodes are cordoned or not ready"),
    ];

    private static string SchedulerInWords(string message)
    {
        var reasons = SchedulerReasons.Where(r => message.Contains(r.Says, StringComparison.OrdinalIgnoreCase)).Select(r => r.Means).ToList();
        return reasons.Count == 0 ? "no node can take it" : string.Join(" and ", reasons);
    }

    private static Condition? ReplicaFailure(List<Condition>? conditions) =>
        conditions?.FirstOrDefault(c => c.Type == "ReplicaFailure" && c.IsTrue);

    /// <summary>Pods the namespace's admission refuses: its ResourceQuota (or a LimitRange's maximum) leaves no room.</summary>
    private static Found? AdmissionProblem(string replicaSet, Condition failure, DateTimeOffset now)
    {
        var said = failure.Message ?? "";
        var since = failure.LastTransitionTime ?? now;
        if (QuotaExceeded().Match(said) is { Success: true } m)
        {
            return new(RolloutProblems.QuotaExceeded,
                $"ReplicaSet {replicaSet} cannot create pods: the environment's quota {m.Groups["quota"].Value} has no room for another " +
                $"(a pod requests {m.Groups["requested"].Value}; used {m.Groups["used"].Value} of {m.Groups["limited"].Value}). " +
                "Lower the service's requests or replicas, or raise the environment's quota.",
                since);
        }

        if (said.Contains("exceeded quota", StringComparison.Ordinal) || said.Contains("failed quota", StringComparison.Ordinal))
        {
            return new(RolloutProblems.QuotaExceeded,
                $"ReplicaSet {replicaSet} cannot create pods: the environment's quota refuses them ({said}). Lower the service's requests or replicas, or raise the environment's quota.",
                since);
        }

        if (said.Contains("usage per Container is", StringComparison.Ordinal))
        {
            return new(RolloutProblems.QuotaExceeded,
                $"ReplicaSet {replicaSet} cannot create pods: the environment's limits refuse them ({said}). Keep the service's requests and limits within the environment's limits.",
                since);
        }

        return null;
    }

    private static bool IsControlledBy(KubeObject o, string? uid) =>
        uid is not null && o.Metadata.Extra?.TryGetValue("ownerReferences", out var owners) == true && owners.ValueKind == JsonValueKind.Array
        && owners.EnumerateArray().Any(r => r.TryGetProperty("uid", out var u) && u.GetString() == uid
            && r.TryGetProperty("controller", out var c) && c.ValueKind == JsonValueKind.True);

    private static string? TemplateHash(KubeObject o) => o.Metadata.Labels?.GetValueOrDefault(TemplateHashLabel);

    private static long MetadataLong(KubeObject o, string field) =>
        o.Metadata.Extra?.TryGetValue(field, out var value) == true && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;

    /// <summary>The API server's wording: <c>exceeded quota: q, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1</c>.</summary>
    [GeneratedRegex("exceeded quota: (?<quota>[^,]+), requested: (?<requested>.+?), used: (?<used>.+?), limited: (?<limited>.+)$")]
    private static partial Regex QuotaExceeded();

    private sealed record Found(string Reason, string Message, DateTimeOffset Since);
}
