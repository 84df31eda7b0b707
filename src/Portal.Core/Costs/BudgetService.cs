using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Approvals;
using Portal.Core.Authorization;
using Portal.Core.Environments;

namespace Portal.Core.Costs;

/// <summary>
/// Raises the month's budget notices: for every environment with a budget and every team budget, each threshold
/// (80 and 100 %) the month has crossed, actually or by forecast, once. Each notice is added by Portal itself under
/// its policy, so it is audited ("costs.budget-threshold"); the store's unique key makes a notice two replicas raise
/// at once a conflict, which is skipped: the other one raised it.
/// </summary>
public sealed class BudgetService(
    IUnitOfWorkFactory units,
    PortalActions actions,
    CostInputsCache history,
    IOptions<CostsOptions> options,
    TimeProvider clock)
{
    public const string AuditAction = "costs.budget-threshold";

    /// <summary>The notices raised now (none when every crossing was raised before).</summary>
    public async Task<IReadOnlyList<BudgetNotice>> RaiseNoticesAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var monthName = CostTime.MonthKey(CostTime.MonthStart(now));
        IReadOnlyList<PortalEnvironment> environments;
        IReadOnlyList<TeamBudget> teams;
        IReadOnlyList<BudgetNotice> raised;
        await using (var work = units.Begin())
        {
            environments = await work.Environments.ListAsync(ct);
            teams = await work.Budgets.TeamBudgetsAsync(ct);
            raised = await work.Budgets.NoticesAsync(monthName, ct);
        }

        var budgeted = environments.Where(e => !e.IsGone && e.MonthlyBudget > 0).ToList();
        var teamBudgets = teams.Where(t => t.MonthlyBudget > 0).ToList();
        if (budgeted.Count == 0 && teamBudgets.Count == 0)
        {
            return [];
        }

        // A team's month counts every environment it owns, gone ones too: what they cost this month was spent.
        var clusters = environments.Where(e => !e.IsGone || teamBudgets.Any(t => t.Team == e.OwningTeam)).Select(e => e.Cluster);
        var inputs = await CostHistory.MonthAsync(history, clusters, now, ct);
        var owner = CostHistory.OwnerOf(environments);
        var ofCluster = CostHistory.ByCluster(inputs);
        var share = options.Value.ShareIdle;
        var candidates = new List<(BudgetScope Scope, string Name, EnvironmentRef? Environment, MonthCost Month)>();
        candidates.AddRange(budgeted.Select(e => (BudgetScope.Environment, e.Name, (EnvironmentRef?)e.Ref, CostBreakdown.Month(ofCluster(e.Cluster), CostHistory.Only(e), share, now, e.MonthlyBudget))));
        candidates.AddRange(teamBudgets.Select(t => (BudgetScope.Team, t.Team, (EnvironmentRef?)null,
            CostBreakdown.Month(inputs, r => owner(r)?.OwningTeam == t.Team ? t.Team : null, share, now, t.MonthlyBudget))));

        var added = new List<BudgetNotice>();
        foreach (var (scope, name, environment, month) in candidates)
        {
            foreach (var (percent, basis) in BudgetThresholds.Crossed(month))
            {
                if (raised.Any(n => n.Scope == scope && n.Name == name && n.ThresholdPercent == percent && n.Basis == basis))
                {
                    continue;
                }

                var notice = new BudgetNotice(Guid.NewGuid(), scope, name, monthName, percent, basis,
                    basis == BudgetBasis.Actual ? month.MonthToDate : month.Forecast ?? month.MonthToDate, month.Budget, now);
                if (await TryAddAsync(notice, environment, ct))
                {
                    added.Add(notice);
                }
            }
        }

        return added;
    }

    private async Task<bool> TryAddAsync(BudgetNotice notice, EnvironmentRef? environment, CancellationToken ct)
    {
        var target = notice.Scope == BudgetScope.Team ? $"team/{notice.Name}" : notice.Name;
        var request = new ActionRequest(Permissions.CostsManage, environment, target, new Dictionary<string, object?>
        {
            ["month"] = notice.Month,
            ["thresholdPercent"] = notice.ThresholdPercent,
            ["basis"] = notice.Basis.ToString(),
            ["amount"] = notice.Amount,
            ["budget"] = notice.Budget,
        })
        {
            Name = AuditAction,
        };
        try
        {
            await actions.RunAsSystemAsync(ApprovalService.SystemActor, request, (work, _) =>
            {
                work.Budgets.AddNotice(notice);
                return Task.FromResult(notice);
            }, ct);
            return true;
        }
        catch (ConflictException)
        {
            // Raised meanwhile by another replica (the unique scope, name, month, threshold and basis).
            return false;
        }
    }
}
