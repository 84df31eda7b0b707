using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Alarms;
using Portal.Core.Authorization;
using Portal.Core.Deployments;
using Portal.Core.Environments;

namespace Portal.Core.Costs;

/// <summary>
/// How every environment is doing, one row each (the status overview, GET /api/v1/status): pods ready over desired
/// from the cluster, alarms firing, the last deploy, the month's cost against its budget, time left, and whether it
/// is idle. Each part is read on its own; one that fails (a cluster down, the alarm source throttled) is null with the
/// reason in the row's problems, and the rest of the row still shows.
/// </summary>
public sealed class StatusService(
    IUnitOfWorkFactory units,
    PortalActions actions,
    IServiceDeployer deployer,
    AlarmService alarms,
    CostInputsCache history,
    IOptions<CostsOptions> options,
    TimeProvider clock)
{
    /// <summary>
    /// Every environment (not gone) <paramref name="who"/> may see, in tier order. The month and the idle verdict need
    /// <see cref="Permissions.CostsRead"/> too (null without it), the alarm count <see cref="Permissions.AlarmsRead"/>.
    /// </summary>
    public async Task<IReadOnlyList<EnvironmentStatusRow>> OverviewAsync(PortalPrincipal who, CancellationToken ct)
    {
        var environments = await actions.AllowedEnvironmentsAsync(who, Permissions.EnvironmentsRead, ct);
        if (environments.Count == 0)
        {
            return [];
        }

        var costs = await NamesAsync(who, Permissions.CostsRead, ct);
        var alarmable = await NamesAsync(who, Permissions.AlarmsRead, ct);
        var now = clock.GetUtcNow();
        var healthTask = Task.WhenAll(environments.Select(e => HealthAsync(e, ct)));
        var board = await alarms.BoardAsync(who, new AlarmFilter { State = AlarmState.Alarm, IncludeSnoozed = false }, ct);
        var releases = await ReleasesAsync(environments, ct);
        var cost = await CostPartsAsync([.. environments.Where(e => costs.Contains(e.Name))], releases, now, ct);
        var health = (await healthTask).ToDictionary(h => h.Environment, StringComparer.Ordinal);

        return [.. environments.Select(e =>
        {
            var problems = new List<string>();
            var (_, ready, desired, healthProblem) = health[e.Name];
            if (healthProblem is not null)
            {
                problems.Add(healthProblem);
            }

            int? firing = null;
            if (alarmable.Contains(e.Name))
            {
                problems.AddRange(board.Problems.Select(p => $"Alarms: {p}"));
                if (board.ReadAt is null)
                {
                    problems.Add("Alarms: not read yet.");
                }
                else
                {
                    firing = board.Alarms.Count(a => a.Placement.Environment == e.Name);
                }
            }

            var part = cost.Parts.GetValueOrDefault(e.Name);
            if (costs.Contains(e.Name) && cost.Problem is not null)
            {
                problems.Add(cost.Problem);
            }

            var release = releases[e.Name].FirstOrDefault();
            var lastDeploy = release is null ? null
                : new LastDeploy(release.Service, release.Spec.Version, release.RequestedBy, release.StartedAt ?? release.CreatedAt, release.State.ToString());
            return new EnvironmentStatusRow(e, ready, desired, firing, lastDeploy, part.Month, e.TimeLeft(now), part.Idle, problems);
        })];
    }

    /// <summary>The idle environments among those <paramref name="who"/> may see and read the costs of, longest idle first.</summary>
    public async Task<IReadOnlyList<(PortalEnvironment Environment, IdleVerdict Verdict, MonthCost? Month)>> IdleAsync(PortalPrincipal who, CancellationToken ct)
    {
        var costs = await NamesAsync(who, Permissions.CostsRead, ct);
        var environments = (await actions.AllowedEnvironmentsAsync(who, Permissions.EnvironmentsRead, ct)).Where(e => costs.Contains(e.Name)).ToList();
        if (environments.Count == 0)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        var cost = await CostPartsAsync(environments, await ReleasesAsync(environments, ct), now, ct);
        if (cost.Problem is not null)
        {
            throw new DependencyUnavailableException(cost.Problem);
        }

        return [.. environments
            .Select(e => (Environment: e, Part: cost.Parts[e.Name]))
            .Where(x => x.Part.Idle is { Idle: true })
            .Select(x => (x.Environment, x.Part.Idle!, x.Part.Month))
            .OrderByDescending(x => x.Item2.DaysSinceDeploy).ThenBy(x => x.Environment.Name, StringComparer.Ordinal)];
    }

    private async Task<HashSet<string>> NamesAsync(PortalPrincipal who, string permission, CancellationToken ct) =>
        (await actions.AllowedEnvironmentsAsync(who, permission, ct)).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>Pods ready over desired, summed over the services Portal deployed; an environment not created yet has none to count.</summary>
    private async Task<(string Environment, int? Ready, int? Desired, string? Problem)> HealthAsync(PortalEnvironment environment, CancellationToken ct)
    {
        if (environment.Status is EnvironmentStatus.Requested or EnvironmentStatus.AwaitingApproval or EnvironmentStatus.Provisioning)
        {
            return (environment.Name, null, null, $"Not created yet ({environment.Status}).");
        }

        try
        {
            var live = await deployer.LiveAsync(environment, ct);
            return (environment.Name, live.Sum(s => s.Ready), live.Sum(s => s.Desired), null);
        }
        catch (DependencyUnavailableException ex)
        {
            return (environment.Name, null, null, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (environment.Name, null, null, $"The pods of {environment.Name} could not be read ({ex.GetType().Name}).");
        }
    }

    /// <summary>Each environment's releases, newest first.</summary>
    private async Task<Dictionary<string, IReadOnlyList<Release>>> ReleasesAsync(IReadOnlyList<PortalEnvironment> environments, CancellationToken ct)
    {
        var releases = new Dictionary<string, IReadOnlyList<Release>>(StringComparer.Ordinal);
        await using var work = units.Begin();
        foreach (var environment in environments)
        {
            releases[environment.Name] = await work.Releases.ListAsync(new ReleaseQuery { Environment = environment.Name, Take = 20 }, ct);
        }

        return releases;
    }

    /// <summary>
    /// The month against the budget and the idle verdict of each environment. The verdict counts the last release that
    /// reached the cluster (one rejected or cancelled before it started deployed nothing), and the pods' CPU over the
    /// idle window from the store; without a sample in the window, usage is unknown.
    /// </summary>
    private async Task<CostParts> CostPartsAsync(IReadOnlyList<PortalEnvironment> environments, Dictionary<string, IReadOnlyList<Release>> releases, DateTimeOffset now, CancellationToken ct)
    {
        if (environments.Count == 0)
        {
            return new CostParts(new Dictionary<string, (MonthCost?, IdleVerdict?)>(), null);
        }

        var clusters = environments.Select(e => e.Cluster).Distinct(StringComparer.Ordinal).ToList();
        // Whole hours, so the window stays one cache entry for the hour (its records are hourly anyway).
        var windowStart = CostTime.HourOf(now.AddDays(-options.Value.IdleAfterDays));
        CostInputs month;
        CostInputs window;
        try
        {
            month = await CostHistory.MonthAsync(history, clusters, now, ct);
            window = await CostHistory.LoadAsync(history, clusters, windowStart, CostTime.HourOf(now).AddHours(1), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var none = environments.ToDictionary(e => e.Name, _ => ((MonthCost?)null, (IdleVerdict?)null), StringComparer.Ordinal);
            return new CostParts(none, $"Costs could not be read ({ex.GetType().Name}).");
        }

        var monthOf = CostHistory.ByCluster(month);
        var owner = CostHistory.OwnerOf(environments);
        var months = new Dictionary<string, MonthCost>(StringComparer.Ordinal);
        foreach (var cluster in environments.GroupBy(e => e.Cluster, StringComparer.Ordinal))
        {
            var budgets = cluster.ToDictionary(e => e.Name, e => e.MonthlyBudget, StringComparer.Ordinal);
            foreach (var (name, cost) in CostBreakdown.Months(monthOf(cluster.Key), r => owner(r)?.Name, options.Value.ShareIdle, now, budgets))
            {
                months[name] = cost;
            }
        }

        var podsOf = window.Totals.Where(r => r.Subject == CostSubject.Pod).ToLookup(r => owner(r)?.Name ?? "", StringComparer.Ordinal);
        var parts = new Dictionary<string, (MonthCost? Month, IdleVerdict? Idle)>(StringComparer.Ordinal);
        foreach (var environment in environments)
        {
            var pods = podsOf[environment.Name].ToList();
            var (requested, used) = CpuOf(pods, window.Slots.Any(s => s.Cluster == environment.Cluster && s.Start >= windowStart));
            var lastDeploy = releases.GetValueOrDefault(environment.Name)?.FirstOrDefault(r => r.StartedAt is not null)?.StartedAt;
            parts[environment.Name] = (
                months[environment.Name],
                IdleDetector.Judge(lastDeploy, environment.CreatedAt, requested, used, now, options.Value));
        }

        return new CostParts(parts, null);
    }

    /// <summary>CPU requested and used (core-hours); usage over the pods that have figures, unknown when none has or nothing was sampled.</summary>
    private static (double Requested, double? Used) CpuOf(IReadOnlyList<CostRecord> pods, bool sampled)
    {
        if (!sampled)
        {
            return (0, null);
        }

        if (pods.Count == 0)
        {
            return (0, 0);
        }

        var measured = pods.Where(p => p.CpuUsageCoreHours is not null).ToList();
        return measured.Count == 0
            ? (pods.Sum(p => p.CpuRequestCoreHours), null)
            : (measured.Sum(p => p.CpuRequestCoreHours), measured.Sum(p => p.CpuUsageCoreHours!.Value));
    }

    private sealed record CostParts(IReadOnlyDictionary<string, (MonthCost? Month, IdleVerdict? Idle)> Parts, string? Problem);
}
