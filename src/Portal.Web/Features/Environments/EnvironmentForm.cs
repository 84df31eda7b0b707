namespace Portal.Web.Features.Environments;

/// <summary>What the create form edits, as typed.</summary>
public sealed class EnvironmentForm
{
    public string? Name { get; set; }

    public string? DisplayName { get; set; }

    public string? Tier { get; set; } = "dev";

    public string? OwningTeam { get; set; }

    public string? CostCentre { get; set; }

    public decimal? MonthlyBudget { get; set; }

    public int? TimeToLiveHours { get; set; }

    public string? Labels { get; set; }

    /// <summary>CPU requests the namespace may make, as a quantity (4, 500m); errors keyed <c>quota.cpu</c> land here.</summary>
    public string? QuotaCpu { get; set; }

    public string? QuotaMemory { get; set; }

    public int? QuotaPods { get; set; }

    /// <summary>Deploys wait for a second person's approval (edit only).</summary>
    public bool RequireDeployApproval { get; set; }

    /// <summary>A failed rollout rolls back to the last good release by itself (edit only).</summary>
    public bool AutoRollback { get; set; }

    /// <summary>Puts a tier's default quota in the quota fields that are empty or still hold <paramref name="previous"/>.</summary>
    public void TakeQuotaDefaults(QuotaDefaults defaults, QuotaDefaults? previous)
    {
        if (string.IsNullOrWhiteSpace(QuotaCpu) || QuotaCpu == previous?.Cpu)
        {
            QuotaCpu = defaults.Cpu;
        }

        if (string.IsNullOrWhiteSpace(QuotaMemory) || QuotaMemory == previous?.Memory)
        {
            QuotaMemory = defaults.Memory;
        }

        if (QuotaPods is null || QuotaPods == previous?.Pods)
        {
            QuotaPods = defaults.Pods;
        }
    }

    public CreateEnvironmentRequest ToRequest(Dictionary<string, string> labels) => new()
    {
        Name = Name?.Trim(),
        DisplayName = DisplayName,
        Tier = Tier,
        OwningTeam = OwningTeam,
        CostCentre = CostCentre,
        MonthlyBudget = MonthlyBudget,
        TimeToLiveHours = TimeToLiveHours,
        Labels = labels,
        Quota = ToQuota(),
    };

    /// <summary>The quota fields as a request; an empty field keeps the current value (the tier's default on creation).</summary>
    public QuotaRequest ToQuota() => new()
    {
        Cpu = string.IsNullOrWhiteSpace(QuotaCpu) ? null : QuotaCpu.Trim(),
        Memory = string.IsNullOrWhiteSpace(QuotaMemory) ? null : QuotaMemory.Trim(),
        Pods = QuotaPods,
    };
}
