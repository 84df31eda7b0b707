using System.Text.RegularExpressions;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Core.Validation;

namespace Portal.Core.Costs;

/// <summary>Team budgets, budget notices, and which environments' costs a person may read.</summary>
public sealed partial class CostService
{
    /// <summary>
    /// Team budgets: all of them for those who read costs or set budgets organisation-wide; otherwise those of the
    /// teams owning an environment whose costs <paramref name="who"/> may read.
    /// </summary>
    public async Task<IReadOnlyList<TeamBudget>> TeamBudgetsAsync(PortalPrincipal who, CancellationToken ct)
    {
        var scope = await ScopeAsync(who, ct);
        IReadOnlyList<TeamBudget> budgets;
        await using (var work = units.Begin())
        {
            budgets = await work.Budgets.TeamBudgetsAsync(ct);
        }

        var teams = scope.Readable.Select(e => e.OwningTeam).ToHashSet(StringComparer.Ordinal);
        return [.. budgets.Where(b => scope.Everything || scope.Manages || teams.Contains(b.Team)).OrderBy(b => b.Team, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Sets a team's monthly budget (0 removes it). <paramref name="expectedVersion"/>, when given, must be the stored
    /// version (0: there is none yet), else the change is a conflict: someone else changed it meanwhile.
    /// </summary>
    public async Task<ActionResult<TeamBudget>> SetTeamBudgetAsync(ActorContext actor, string team, decimal monthlyBudget, int? expectedVersion, CancellationToken ct)
    {
        var request = new ActionRequest(Permissions.CostsManage, null, team,
            new Dictionary<string, object?> { ["monthlyBudget"] = monthlyBudget, ["expectedVersion"] = expectedVersion })
        {
            Name = "costs.team-budget",
        };
        return await actions.RunAsync(actor, request, async (work, token) =>
        {
            var errors = new ValidationErrors();
            if (!TeamName().IsMatch(team))
            {
                errors.Add("team", "must be 1 to 63 lower-case letters, digits or dashes");
            }

            if (monthlyBudget < 0)
            {
                errors.Add("monthlyBudget", "must not be negative (0 removes the budget)");
            }

            if (!errors.IsEmpty)
            {
                throw new ValidationFailedException(errors);
            }

            var current = (await work.Budgets.TeamBudgetsAsync(token)).FirstOrDefault(b => b.Team == team);
            var version = current?.Version ?? 0;
            if (expectedVersion is { } expected && expected != version)
            {
                throw new ConflictException($"The budget of team '{team}' was changed by someone else (version {version}, you edited version {expected}); reload and try again.");
            }

            var changed = new TeamBudget(team, monthlyBudget, actor.Principal.UserName, clock.GetUtcNow(), version + 1);
            if (monthlyBudget == 0)
            {
                if (current is not null)
                {
                    work.Budgets.RemoveTeamBudget(team);
                }

                return changed with { Version = 0 };
            }

            work.Budgets.SetTeamBudget(changed, current is null ? null : version);
            return changed;
        }, ct);
    }

    /// <summary>
    /// Budget notices of <paramref name="month"/> ("2026-11"; null for every month), newest first: an environment's
    /// when <paramref name="who"/> may read its costs, a team's when they may read the costs of one of its environments.
    /// </summary>
    public async Task<IReadOnlyList<BudgetNotice>> NoticesAsync(PortalPrincipal who, string? month, CancellationToken ct)
    {
        if (month is not null && !MonthName().IsMatch(month))
        {
            var errors = new ValidationErrors();
            errors.Add("month", "must be a month as yyyy-MM, e.g. 2026-11");
            throw new ValidationFailedException(errors);
        }

        var scope = await ScopeAsync(who, ct);
        IReadOnlyList<BudgetNotice> notices;
        await using (var work = units.Begin())
        {
            notices = await work.Budgets.NoticesAsync(month, ct);
        }

        var environments = scope.Readable.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var teams = scope.Readable.Select(e => e.OwningTeam).ToHashSet(StringComparer.Ordinal);
        return [.. notices
            .Where(n => n.Scope == BudgetScope.Environment ? environments.Contains(n.Name) : teams.Contains(n.Name))
            .OrderByDescending(n => n.RaisedAt).ThenBy(n => n.Name, StringComparer.Ordinal).ThenByDescending(n => n.ThresholdPercent)];
    }

    /// <summary>The environment when it exists (gone ones too: their history stays) and <paramref name="who"/> may read its costs.</summary>
    private async Task<PortalEnvironment?> ReadableAsync(PortalPrincipal who, string name, CancellationToken ct)
    {
        PortalEnvironment? environment;
        await using (var work = units.Begin())
        {
            environment = await work.Environments.FindAsync(name, ct);
        }

        return environment is not null && (await actions.CheckAsync(who, Permissions.CostsRead, environment.Ref, ct)).Allowed ? environment : null;
    }

    /// <summary>Every environment, those whose costs <paramref name="who"/> may read, and what they may organisation-wide.</summary>
    private async Task<CostScope> ScopeAsync(PortalPrincipal who, CancellationToken ct)
    {
        await using var work = units.Begin();
        var all = await work.Environments.ListAsync(ct);
        var mine = who.IsAuthenticated ? await work.Bindings.ForSubjectsAsync(who.UserName, who.Groups, ct) : [];
        var now = clock.GetUtcNow();
        return new CostScope(
            all,
            [.. all.Where(e => AccessDecider.Decide(who, Permissions.CostsRead, e.Ref, mine, now).Allowed)
                .OrderBy(e => e.Tier).ThenBy(e => e.Name, StringComparer.Ordinal)],
            AccessDecider.Decide(who, Permissions.CostsRead, null, mine, now).Allowed,
            AccessDecider.Decide(who, Permissions.CostsManage, null, mine, now).Allowed);
    }

    private sealed record CostScope(IReadOnlyList<PortalEnvironment> All, IReadOnlyList<PortalEnvironment> Readable, bool Everything, bool Manages);

    [GeneratedRegex("^[a-z0-9-]{1,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex TeamName();

    [GeneratedRegex("^[0-9]{4}-(0[1-9]|1[0-2])\\z", RegexOptions.CultureInvariant)]
    private static partial Regex MonthName();
}
