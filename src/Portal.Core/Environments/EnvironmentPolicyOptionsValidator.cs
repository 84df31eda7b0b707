using Microsoft.Extensions.Options;
using Portal.Core.Resources;

namespace Portal.Core.Environments;

public sealed class EnvironmentPolicyOptionsValidator : IValidateOptions<EnvironmentPolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, EnvironmentPolicyOptions options)
    {
        var failures = new List<string>();
        const string section = EnvironmentPolicyOptions.SectionName;
        if (EnvironmentName.Validate(options.DefaultCluster) is { } problem)
        {
            failures.Add($"{section}:DefaultCluster: '{options.DefaultCluster}' {problem}.");
        }

        foreach (var (tier, policy) in options.Tiers)
        {
            var key = $"{section}:Tiers:{tier}";
            var known = EnvironmentTiers.TryParse(tier, out var parsed);
            if (!known)
            {
                failures.Add($"{key}: '{tier}' is not a tier; use dev, test, staging or prod.");
            }

            if (policy.DefaultTtlHours < 0 || policy.MaxTtlHours < 0)
            {
                failures.Add($"{key}: hours must not be negative.");
            }
            else if (known && parsed.IsProtected() && policy.MaxTtlHours > 0)
            {
                failures.Add($"{key}:MaxTtlHours: {tier} is protected: its environments are destroyed only with a second person's approval, so they cannot expire (use 0).");
            }
            else if (policy.DefaultTtlHours > policy.MaxTtlHours)
            {
                failures.Add($"{key}:DefaultTtlHours: {policy.DefaultTtlHours} is above MaxTtlHours ({policy.MaxTtlHours}).");
            }

            foreach (var (field, value) in new[]
            {
                ("Quota:Cpu", policy.Quota.Cpu), ("Quota:Memory", policy.Quota.Memory), ("Quota:MaxCpu", policy.Quota.MaxCpu),
                ("Quota:MaxMemory", policy.Quota.MaxMemory), ("Containers:CpuRequest", policy.Containers.CpuRequest),
                ("Containers:MemoryRequest", policy.Containers.MemoryRequest), ("Containers:CpuLimit", policy.Containers.CpuLimit),
                ("Containers:MemoryLimit", policy.Containers.MemoryLimit), ("Containers:MaxCpu", policy.Containers.MaxCpu),
                ("Containers:MaxMemory", policy.Containers.MaxMemory),
            })
            {
                if (Quantity.TryParse(value) is not > 0)
                {
                    failures.Add($"{key}:{field}: '{value}' is not a positive Kubernetes quantity (e.g. 500m, 2, 512Mi, 4Gi).");
                }
            }

            if (policy.Quota.Pods < 1 || policy.Quota.Pods > policy.Quota.MaxPods)
            {
                failures.Add($"{key}:Quota:Pods: must be between 1 and Quota:MaxPods ({policy.Quota.MaxPods}).");
            }
        }

        if (options.ApprovalExpiryHours < 1)
        {
            failures.Add($"{section}:ApprovalExpiryHours: must be at least 1 (got {options.ApprovalExpiryHours}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
