namespace Portal.Infrastructure.Persistence.Entities;

/// <summary>A team's monthly budget (an environment's is on its own row).</summary>
public sealed class TeamBudgetEntity
{
    public required string Team { get; set; }

    public decimal MonthlyBudget { get; set; }

    public required string UpdatedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Concurrency token: two managers changing one budget at once must not undo each other.</summary>
    public int Version { get; set; } = 1;
}

/// <summary>A threshold of a month's budget that was crossed; unique per scope, name, month, threshold and basis.</summary>
public sealed class BudgetNoticeEntity
{
    public Guid Id { get; set; }

    public required string Scope { get; set; }

    public required string Name { get; set; }

    /// <summary>"2026-11".</summary>
    public required string Month { get; set; }

    public int ThresholdPercent { get; set; }

    public required string Basis { get; set; }

    public decimal Amount { get; set; }

    public decimal Budget { get; set; }

    public DateTimeOffset RaisedAt { get; set; }
}
