using Portal.Core.Environments;
using Portal.Core.Resources;

namespace Portal.Core.Deployments;

/// <summary>
/// Whether a release fits the environment's quota, checked before anything is applied. What the namespace uses now,
/// minus what the service's current pods use, plus the release's pods — and, when the service already runs, the
/// extra pods of a rolling update (maxSurge 25 %, rounded up), since old and new pods overlap.
/// </summary>
public static class QuotaFit
{
    public sealed record Result(string? Problem, string Summary);

    public static Result Check(EnvironmentQuota quota, ResourceUsage used, LiveService? current, DeploySpec spec)
    {
        var cpu = Quantity.CpuMillis(spec.Resources.CpuRequest);
        var memory = Quantity.Bytes(spec.Resources.MemoryRequest);
        var surge = current is { Desired: > 0 } && spec.Replicas > 0 ? (int)Math.Ceiling(spec.Replicas / 4.0) : 0;
        var pods = spec.Replicas + surge;
        var othersCpu = Math.Max(0, used.CpuMillis - (current is null ? 0 : current.Desired * current.CpuRequestMillisPerPod));
        var othersMemory = Math.Max(0, used.MemoryBytes - (current is null ? 0 : current.Desired * current.MemoryRequestBytesPerPod));
        var othersPods = Math.Max(0, used.Pods - (current?.Desired ?? 0));
        var needCpu = othersCpu + (pods * cpu);
        var needMemory = othersMemory + (pods * memory);
        var needPods = othersPods + pods;
        var during = surge > 0 ? $" ({spec.Replicas} replicas + {surge} during the rolling update)" : "";
        var summary = !quota.IsSet
            ? "The environment has no quota."
            : $"Needs {Quantity.FormatCpu(needCpu)} of {quota.Cpu} CPU, {Quantity.HumanBytes(needMemory)} of {quota.Memory} memory and {needPods} of {quota.Pods} pods{during}.";
        if (!quota.IsSet)
        {
            return new Result(null, summary);
        }

        var problems = new List<string>();
        if (needCpu > quota.CpuMillis)
        {
            problems.Add($"CPU: {pods} pods × {spec.Resources.CpuRequest} = {Quantity.FormatCpu(pods * cpu)}, with {Quantity.FormatCpu(othersCpu)} used by others, exceeds the quota of {quota.Cpu}");
        }

        if (needMemory > quota.MemoryBytes)
        {
            problems.Add($"memory: {pods} pods × {spec.Resources.MemoryRequest} = {Quantity.HumanBytes(pods * memory)}, with {Quantity.HumanBytes(othersMemory)} used by others, exceeds the quota of {quota.Memory}");
        }

        if (needPods > quota.Pods)
        {
            problems.Add($"pods: {pods}{during}, with {othersPods} other pods, exceeds the quota of {quota.Pods}");
        }

        return new Result(problems.Count == 0 ? null : "does not fit the environment's quota: " + string.Join("; ", problems) + ". Lower the replicas or requests, or raise the quota.", summary);
    }
}
