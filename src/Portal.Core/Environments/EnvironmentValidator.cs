using System.Globalization;
using Portal.Core.Resources;
using Portal.Core.Validation;

namespace Portal.Core.Environments;

/// <summary>Turns a request into a valid environment, or says field by field what is wrong. Nothing is stored here.</summary>
public static class EnvironmentValidator
{
    public const int MaxLabels = 20;
    public const decimal MaxBudget = 10_000_000m;

    /// <param name="mayChooseNamespace">Only administrators may map an environment to a namespace other than its name.</param>
    public static PortalEnvironment Create(CreateEnvironmentRequest request, EnvironmentPolicyOptions policy, string createdBy, DateTimeOffset now, bool mayChooseNamespace = false)
    {
        var errors = new ValidationErrors();
        if (EnvironmentName.Validate(request.Name) is { } nameProblem)
        {
            errors.Add("name", nameProblem);
        }

        Check(errors, "displayName", Text.Required(request.DisplayName, 200));
        var tierOk = EnvironmentTiers.TryParse(request.Tier, out var tier);
        if (!tierOk)
        {
            errors.Add("tier", $"'{request.Tier}' is not a tier; use one of {string.Join(", ", EnvironmentTiers.All.Select(t => t.ToWire()))}");
        }

        var cluster = string.IsNullOrEmpty(request.Cluster) ? policy.DefaultCluster : request.Cluster;
        if (EnvironmentName.Validate(cluster) is { } clusterProblem)
        {
            errors.Add("cluster", clusterProblem);
        }
        else if (!policy.IsKnownCluster(cluster!))
        {
            errors.Add("cluster", $"'{cluster}' is not a cluster Portal manages");
        }

        var ns = string.IsNullOrEmpty(request.Namespace) ? request.Name : request.Namespace;
        if (!string.IsNullOrEmpty(request.Namespace) && EnvironmentName.Validate(request.Namespace) is { } nsProblem)
        {
            errors.Add("namespace", nsProblem);
        }
        else if (!string.IsNullOrEmpty(request.Namespace) && request.Namespace != request.Name && !mayChooseNamespace)
        {
            errors.Add("namespace", "only a PortalAdmin may map an environment to a namespace other than its name");
        }
        else if (ns is not null && (policy.ReservedNamespaces.Contains(ns, StringComparer.Ordinal) || ns.StartsWith("kube-", StringComparison.Ordinal)))
        {
            errors.Add(string.IsNullOrEmpty(request.Namespace) ? "name" : "namespace", $"'{ns}' is a namespace of the cluster itself");
        }

        Check(errors, "owningTeam", Text.Required(request.OwningTeam, 100));
        CheckCostCentre(errors, request.CostCentre);
        CheckBudget(errors, request.MonthlyBudget ?? 0);
        CheckLabels(errors, request.Labels);

        DateTimeOffset? expiresAt = null;
        var quota = EnvironmentQuota.Unset;
        if (tierOk)
        {
            expiresAt = TimeToLive(errors, tier, request.TimeToLiveHours, policy, now);
            var defaults = policy.For(tier).Quota;
            quota = CheckQuota(errors, request.Quota, new EnvironmentQuota(defaults.Cpu, defaults.Memory, defaults.Pods), defaults, null);
        }

        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }

        return new PortalEnvironment
        {
            Name = request.Name!,
            DisplayName = request.DisplayName!.Trim(),
            Tier = tier,
            Cluster = cluster!,
            Namespace = ns!,
            OwningTeam = request.OwningTeam!.Trim(),
            CostCentre = request.CostCentre!.Trim(),
            MonthlyBudget = request.MonthlyBudget ?? 0,
            ExpiresAt = expiresAt,
            Labels = request.Labels ?? [],
            Quota = quota,
            CreatedBy = createdBy,
            CreatedAt = now,
            Status = EnvironmentStatus.Requested,
            RequireDeployApproval = tier.IsProtected(),
            Version = 1,
        };
    }

    /// <param name="usage">What the environment uses now; a quota below it is refused. Null when the quota is unchanged.</param>
    public static PortalEnvironment Update(PortalEnvironment current, UpdateEnvironmentRequest request, EnvironmentPolicyOptions? policy = null, ResourceUsage? usage = null)
    {
        var errors = new ValidationErrors();
        var quota = current.Quota;
        if (request.Quota is not null)
        {
            // An environment stored before quotas existed has none of its own: its tier's defaults stand in.
            var limits = (policy ?? new EnvironmentPolicyOptions()).For(current.Tier).Quota;
            var baseline = current.Quota.IsSet ? current.Quota : new EnvironmentQuota(limits.Cpu, limits.Memory, limits.Pods);
            quota = CheckQuota(errors, request.Quota, baseline, limits, usage);
        }

        if (request.DisplayName is not null)
        {
            Check(errors, "displayName", Text.Required(request.DisplayName, 200));
        }

        if (request.OwningTeam is not null)
        {
            Check(errors, "owningTeam", Text.Required(request.OwningTeam, 100));
        }

        if (request.CostCentre is not null)
        {
            CheckCostCentre(errors, request.CostCentre);
        }

        if (request.MonthlyBudget is { } budget)
        {
            CheckBudget(errors, budget);
        }

        CheckLabels(errors, request.Labels);
        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }

        return current with
        {
            DisplayName = request.DisplayName?.Trim() ?? current.DisplayName,
            OwningTeam = request.OwningTeam?.Trim() ?? current.OwningTeam,
            CostCentre = request.CostCentre?.Trim() ?? current.CostCentre,
            MonthlyBudget = request.MonthlyBudget ?? current.MonthlyBudget,
            Labels = request.Labels ?? current.Labels,
            Quota = quota,
            RequireDeployApproval = request.RequireDeployApproval ?? current.RequireDeployApproval,
            AutoRollback = request.AutoRollback ?? current.AutoRollback,
            Version = current.Version + 1,
        };
    }

    /// <summary>The most anyone may extend by, tier Owners and PortalAdmins included: a year.</summary>
    public const int AbsoluteMaxTtlHours = 8760;

    /// <summary>A new expiry for an ephemeral environment, at most the tier's maximum from now.</summary>
    /// <param name="beyondMaximum">The actor is an Owner of the tier or a PortalAdmin, who may go past the tier's maximum.</param>
    public static DateTimeOffset ExtendedExpiry(PortalEnvironment current, int hours, EnvironmentPolicyOptions policy, DateTimeOffset now, bool beyondMaximum = false)
    {
        var errors = new ValidationErrors();
        var max = beyondMaximum ? AbsoluteMaxTtlHours : policy.For(current.Tier).MaxTtlHours;
        if (current.ExpiresAt is null)
        {
            errors.Add("hours", $"{current.Name} does not expire, so there is nothing to extend");
        }
        else if (current.IsGone || current.Status is EnvironmentStatus.DestroyRequested or EnvironmentStatus.Destroying)
        {
            errors.Add("hours", $"{current.Name} is {current.Status} and can no longer be extended");
        }
        else if (hours < 1 || hours > max)
        {
            errors.Add("hours", $"must be between 1 and {max} for a {current.Tier.ToWire()} environment (got {hours})");
        }
        else if (now.AddHours(hours) < current.ExpiresAt)
        {
            errors.Add("hours", $"{hours} hours from now is before the current expiry ({current.ExpiresAt:yyyy-MM-dd HH:mm} UTC): extending never shortens");
        }

        return errors.IsEmpty ? now.AddHours(hours) : throw new ValidationFailedException(errors);
    }

    private static DateTimeOffset? TimeToLive(ValidationErrors errors, EnvironmentTier tier, int? hours, EnvironmentPolicyOptions policy, DateTimeOffset now)
    {
        var tierPolicy = policy.For(tier);
        var ttl = hours ?? tierPolicy.DefaultTtlHours;
        if (ttl == 0 && tierPolicy.DefaultTtlHours == 0)
        {
            return null;
        }

        if (ttl == 0)
        {
            errors.Add("timeToLiveHours", $"{tier.ToWire()} environments expire: give 1 to {tierPolicy.MaxTtlHours} hours");
            return null;
        }

        if (tierPolicy.MaxTtlHours == 0)
        {
            errors.Add("timeToLiveHours", $"{tier.ToWire()} environments are long-lived and cannot have a time-to-live");
            return null;
        }

        if (ttl < 1 || ttl > tierPolicy.MaxTtlHours)
        {
            errors.Add("timeToLiveHours", $"must be between 1 and {tierPolicy.MaxTtlHours} hours for {tier.ToWire()} (got {ttl})");
            return null;
        }

        return now.AddHours(ttl);
    }

    private static EnvironmentQuota CheckQuota(ValidationErrors errors, QuotaRequest? request, EnvironmentQuota current, QuotaDefaults limits, ResourceUsage? usage)
    {
        var cpu = request?.Cpu?.Trim() ?? current.Cpu;
        var memory = request?.Memory?.Trim() ?? current.Memory;
        var pods = request?.Pods ?? current.Pods;
        var cpuValue = Quantity.TryParse(cpu);
        var memoryValue = Quantity.TryParse(memory);
        if (cpuValue is not > 0)
        {
            errors.Add("quota.cpu", $"'{cpu}' is not a CPU quantity; write cores (2, 0.5) or millicores (500m)");
        }
        else if (cpuValue > Quantity.TryParse(limits.MaxCpu))
        {
            errors.Add("quota.cpu", $"{cpu} is above this tier's ceiling of {limits.MaxCpu}");
        }
        else if (usage is not null && Quantity.CpuMillis(cpu) < usage.CpuMillis)
        {
            errors.Add("quota.cpu", $"{cpu} is below what the environment already requests ({Quantity.FormatCpu(usage.CpuMillis)}); scale down first");
        }

        if (memoryValue is not > 0)
        {
            errors.Add("quota.memory", $"'{memory}' is not a memory quantity; write e.g. 512Mi or 8Gi");
        }
        else if (memoryValue > Quantity.TryParse(limits.MaxMemory))
        {
            errors.Add("quota.memory", $"{memory} is above this tier's ceiling of {limits.MaxMemory}");
        }
        else if (usage is not null && Quantity.Bytes(memory) < usage.MemoryBytes)
        {
            errors.Add("quota.memory", $"{memory} is below what the environment already requests ({Quantity.FormatBytes(usage.MemoryBytes)}); scale down first");
        }

        if (pods < 1 || pods > limits.MaxPods)
        {
            errors.Add("quota.pods", $"must be between 1 and {limits.MaxPods} (got {pods})");
        }
        else if (usage is not null && pods < usage.Pods)
        {
            errors.Add("quota.pods", $"{pods} is below the {usage.Pods} pods already running; scale down first");
        }

        return new EnvironmentQuota(cpu, memory, pods);
    }

    private static void CheckCostCentre(ValidationErrors errors, string? costCentre)
    {
        if (Text.Required(costCentre, 50) is { } problem)
        {
            errors.Add("costCentre", problem);
        }
        else if (!costCentre!.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors.Add("costCentre", "must consist of letters, digits, '-' and '_'");
        }
    }

    private static void CheckBudget(ValidationErrors errors, decimal budget)
    {
        if (budget < 0 || budget > MaxBudget)
        {
            errors.Add("monthlyBudget", $"must be between 0 and {MaxBudget.ToString("N0", CultureInfo.InvariantCulture)} (got {budget.ToString(CultureInfo.InvariantCulture)})");
        }
    }

    private static void CheckLabels(ValidationErrors errors, Dictionary<string, string>? labels)
    {
        if (labels is null)
        {
            return;
        }

        if (labels.Count > MaxLabels)
        {
            errors.Add("labels", $"at most {MaxLabels} labels (got {labels.Count})");
        }

        foreach (var (key, value) in labels)
        {
            if (!Text.IsLabelName(key))
            {
                errors.Add($"labels.{key}", "label keys are 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
            }

            if (value is null)
            {
                errors.Add($"labels.{key}", "label values are text (empty is allowed), not null");
            }
            else if (value.Length > 0 && !Text.IsLabelName(value))
            {
                errors.Add($"labels.{key}", "label values are empty or 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
            }
        }
    }

    private static void Check(ValidationErrors errors, string field, string? problem)
    {
        if (problem is not null)
        {
            errors.Add(field, problem);
        }
    }
}
