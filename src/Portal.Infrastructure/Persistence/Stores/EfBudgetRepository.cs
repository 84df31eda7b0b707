using Microsoft.EntityFrameworkCore;
using Portal.Core.Costs;
using Portal.Infrastructure.Persistence.Entities;

namespace Portal.Infrastructure.Persistence.Stores;

/// <summary>
/// Team budgets and budget notices on the unit of work's own DbContext, so a change and its audit record commit
/// together. A budget is replaced or removed only while it is still at the version this unit of work knows (the
/// expected one it was given, else the one it read): a change someone made meanwhile is a conflict at commit
/// (<see cref="EfUnitOfWork.CommitAsync"/>), never silently undone. So is a second notice for the same threshold.
/// </summary>
internal sealed class EfBudgetRepository(PortalDbContext db) : IBudgetRepository
{
    // Every team's version as TeamBudgetsAsync read it; null until it has.
    private Dictionary<string, int>? _read;

    public async Task<IReadOnlyList<TeamBudget>> TeamBudgetsAsync(CancellationToken ct)
    {
        var rows = await db.TeamBudgets.AsNoTracking().OrderBy(b => b.Team).ToListAsync(ct);
        _read = rows.ToDictionary(b => b.Team, b => b.Version, StringComparer.Ordinal);
        return [.. rows.Select(b => b.ToDomain())];
    }

    /// <summary>
    /// Creates the budget (version 1) when there is none, or replaces it (version + 1). The version written is the
    /// repository's, not <paramref name="budget"/>'s. <paramref name="expectedVersion"/> 0 means "expected none".
    /// </summary>
    public void SetTeamBudget(TeamBudget budget, int? expectedVersion)
    {
        if (expectedVersion is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedVersion), expectedVersion, "A version is never negative.");
        }

        var current = expectedVersion ?? CurrentVersion(budget.Team) ?? 0;
        if (current == 0)
        {
            // Two first budgets for one team meet the primary key at commit.
            db.TeamBudgets.Add(budget.ToEntity(1));
        }
        else
        {
            db.UpdateIfVersion(budget.ToEntity(current + 1), current);
        }
    }

    public void RemoveTeamBudget(string team)
    {
        if (CurrentVersion(team) is { } version)
        {
            // Deleted only at that version, like an update.
            db.TeamBudgets.Remove(new TeamBudgetEntity { Team = team, UpdatedBy = string.Empty, Version = version });
        }
    }

    public async Task<IReadOnlyList<BudgetNotice>> NoticesAsync(string? month, CancellationToken ct)
    {
        var rows = db.BudgetNotices.AsNoTracking();
        if (month is not null)
        {
            rows = rows.Where(n => n.Month == month);
        }

        // Newest first; notices of one instant in one order on every read.
        return [.. (await rows.OrderByDescending(n => n.RaisedAt).ThenBy(n => n.Id).ToListAsync(ct)).Select(n => n.ToDomain())];
    }

    public void AddNotice(BudgetNotice notice) => db.BudgetNotices.Add(notice.ToEntity());

    /// <summary>
    /// The version this unit of work read, or (when it read none) the stored one, looked up now: the port's writes are
    /// synchronous, and a budget is one short row. Null: there is no budget.
    /// </summary>
    private int? CurrentVersion(string team) =>
        _read is not null
            ? _read.TryGetValue(team, out var version) ? version : null
            : db.TeamBudgets.AsNoTracking().Where(b => b.Team == team).Select(b => (int?)b.Version).FirstOrDefault();
}
