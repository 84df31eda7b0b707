using Portal.Core.Costs;
using Portal.Infrastructure.Persistence.Entities;

namespace Portal.Infrastructure.Persistence.Stores;

/// <summary>Team budgets and budget notices to rows and back; times as UTC (Npgsql refuses other offsets).</summary>
internal static class BudgetMapping
{
    public static TeamBudgetEntity ToEntity(this TeamBudget d, int version) => new()
    {
        Team = d.Team,
        MonthlyBudget = d.MonthlyBudget,
        UpdatedBy = d.UpdatedBy,
        UpdatedAt = d.UpdatedAt.ToUniversalTime(),
        Version = version,
    };

    public static TeamBudget ToDomain(this TeamBudgetEntity e) => new(e.Team, e.MonthlyBudget, e.UpdatedBy, e.UpdatedAt, e.Version);

    public static BudgetNoticeEntity ToEntity(this BudgetNotice d) => new()
    {
        Id = d.Id,
        Scope = d.Scope.ToString(),
        Name = d.Name,
        Month = d.Month,
        ThresholdPercent = d.ThresholdPercent,
        Basis = d.Basis.ToString(),
        Amount = d.Amount,
        Budget = d.Budget,
        RaisedAt = d.RaisedAt.ToUniversalTime(),
    };

    public static BudgetNotice ToDomain(this BudgetNoticeEntity e) => new(
        e.Id, Enum.Parse<BudgetScope>(e.Scope), e.Name, e.Month, e.ThresholdPercent, Enum.Parse<BudgetBasis>(e.Basis), e.Amount, e.Budget, e.RaisedAt);
}
