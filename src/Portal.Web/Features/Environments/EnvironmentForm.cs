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
    };
}
