using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Core.Validation;

namespace Portal.Core.Costs;

/// <summary>
/// Costs for people: an environment's report, the organisation's and a team's roll-ups, how a figure was computed,
/// team budgets and budget notices. Reads need <see cref="Permissions.CostsRead"/> on each environment (Managers and
/// PortalAdmins have it on every one); what one may not read is left out, and a hidden environment looks like a
/// missing one. Setting a team budget needs <see cref="Permissions.CostsManage"/> organisation-wide and is audited.
/// </summary>
public sealed partial class CostService(
    IUnitOfWorkFactory units,
    PortalActions actions,
    ICostStore store,
    CostInputsCache history,
    IOptions<CostsOptions> options,
    TimeProvider clock)
{
    public const int MaxExplainDays = 31;

    /// <summary>The key of cost that belongs to no service (volumes, the shared amount, pods no Deployment owns).</summary>
    public const string NoService = CostHistory.NoService;

    /// <summary>The environment's costs over [from, to] (UTC days); null when it does not exist or <paramref name="who"/> may not read them.</summary>
    public async Task<EnvironmentCostReport?> EnvironmentAsync(PortalPrincipal who, string environment, DateOnly from, DateOnly to, CancellationToken ct)
    {
        RequireOrder(from, to);
        var env = await ReadableAsync(who, environment, ct);
        if (env is null)
        {
            return null;
        }

        var (start, end) = CostHistory.Range(from, to);
        var inputs = await CostHistory.LoadAsync(history, [env.Cluster], start, end, ct);
        var only = CostHistory.Only(env);
        string? ByService(CostRecord r) => only(r) is null ? null : r.Service ?? NoService;
        var share = options.Value.ShareIdle;
        var services = CostBreakdown.Rows(inputs, ByService, share);
        var now = clock.GetUtcNow();
        var month = CostBreakdown.Month(await CostHistory.MonthAsync(history, [env.Cluster], now, ct), only, share, now, env.MonthlyBudget);
        return new EnvironmentCostReport(
            env, from, to, options.Value.Currency,
            inputs.Slots.MaxBy(s => s.Start)?.Usage,
            share,
            inputs.Slots.Count == 0 ? null : services.Sum(s => s.Total),
            CostBreakdown.Daily(inputs, ByService, share, from, to),
            services,
            month);
    }

    /// <summary>
    /// Costs by environment, service ("{environment}/{service}") or team over [from, to], of the environments
    /// <paramref name="who"/> may read (of one owning <paramref name="team"/> when given). What ran outside Portal's
    /// environments (and idle, when not shared) is shown only to those who may read costs organisation-wide, and only
    /// without a team. Total is the rows plus that line; null when no sample covers the range.
    /// </summary>
    public async Task<CostSummary> SummaryAsync(PortalPrincipal who, CostGrouping groupBy, DateOnly from, DateOnly to, string? team, CancellationToken ct)
    {
        RequireOrder(from, to);
        var scope = await ScopeAsync(who, ct);
        var environments = scope.Readable.Where(e => string.IsNullOrEmpty(team) || e.OwningTeam == team).ToList();
        var visible = environments.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var owner = CostHistory.OwnerOf(scope.All);
        string? KeyOf(CostRecord r) => owner(r) is { } e && visible.Contains(e.Name) ? Key(groupBy, e, r) : null;

        var wholeOrganisation = scope.Everything && string.IsNullOrEmpty(team);
        var clusters = (wholeOrganisation ? scope.All : environments).Select(e => e.Cluster).ToList();
        var (start, end) = CostHistory.Range(from, to);
        var inputs = await CostHistory.LoadAsync(history, clusters, start, end, ct);
        var share = options.Value.ShareIdle;
        var rows = CostBreakdown.Rows(inputs, KeyOf, share);
        var unattributed = wholeOrganisation ? CostBreakdown.Unattributed(inputs, KeyOf, share) : null;
        var months = await MonthsAsync(groupBy, environments, clusters, rows, KeyOf, ct);
        return new CostSummary(
            groupBy, from, to, options.Value.Currency,
            inputs.Slots.Count == 0 ? null : rows.Sum(r => r.Total) + (unattributed?.Total ?? 0m),
            CostBreakdown.Daily(inputs, KeyOf, share, from, to),
            rows, months, unattributed,
            inputs.Slots.GroupBy(s => s.Cluster, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.MaxBy(s => s.Start)!.Usage, StringComparer.Ordinal));
    }

    /// <summary>
    /// The records behind a figure of the environment over [from, to) (at most <see cref="MaxExplainDays"/> days),
    /// narrowed to a service (<see cref="NoService"/> for what has none) and a resource, with the idle share lines when
    /// idle is shared. Null when the environment does not exist or <paramref name="who"/> may not read its costs.
    /// </summary>
    public async Task<CostExplanation?> ExplainAsync(PortalPrincipal who, string environment, DateTimeOffset from, DateTimeOffset to, string? service, CostResource? resource, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (to <= from)
        {
            errors.Add("to", "must be after from");
        }
        else if (to - from > TimeSpan.FromDays(MaxExplainDays))
        {
            errors.Add("to", $"must be at most {MaxExplainDays} days after from");
        }

        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }

        var env = await ReadableAsync(who, environment, ct);
        if (env is null)
        {
            return null;
        }

        var noService = service == NoService;
        bool OfService(CostRecord r) => string.IsNullOrEmpty(service) || (noService ? r.Service is null : r.Service == service);
        var query = new CostQuery(from, to)
        {
            Cluster = env.Cluster,
            Namespaces = [env.Namespace],
            Service = noService || string.IsNullOrEmpty(service) ? null : service,
            Subjects = SubjectsOf(resource),
        };
        var records = (await store.RecordsAsync(query, ct)).Where(OfService).ToList();
        IReadOnlyList<IdleShareLine> idle = [];
        if (options.Value.ShareIdle && resource is null or CostResource.Idle)
        {
            // Idle is shared over every pod of the cluster-hour: read the whole cluster, then keep this scope's share.
            var totals = await store.TotalsAsync(new CostQuery(from, to) { Cluster = env.Cluster }, ct);
            idle = CostBreakdown.IdleShares(totals, r => r.Subject == CostSubject.Pod && r.Cluster == env.Cluster && r.Namespace == env.Namespace && OfService(r));
        }

        var total = resource switch
        {
            CostResource.Cpu => records.Sum(r => r.CpuCost),
            CostResource.Memory => records.Sum(r => r.MemoryCost),
            CostResource.Idle => idle.Sum(l => l.Share),
            null => records.Sum(r => r.Total) + idle.Sum(l => l.Share),
            _ => records.Sum(r => r.OtherCost),
        };
        return new CostExplanation(env.Name, from, to, string.IsNullOrEmpty(service) ? null : service, resource, options.Value.Currency, records, idle, total);
    }

    private static IReadOnlyCollection<CostSubject>? SubjectsOf(CostResource? resource) => resource switch
    {
        CostResource.Cpu or CostResource.Memory or CostResource.Idle => [CostSubject.Pod],
        CostResource.Storage => [CostSubject.Volume],
        CostResource.Network => [CostSubject.LoadBalancer, CostSubject.Ingress],
        CostResource.Shared => [CostSubject.Shared],
        _ => null,
    };

    private static string Key(CostGrouping groupBy, PortalEnvironment environment, CostRecord record) => groupBy switch
    {
        CostGrouping.Team => environment.OwningTeam,
        CostGrouping.Service => $"{environment.Name}/{record.Service ?? NoService}",
        _ => environment.Name,
    };

    /// <summary>Each key's month against its budget: every environment (or team) still there, and every row.</summary>
    private async Task<IReadOnlyDictionary<string, MonthCost>> MonthsAsync(
        CostGrouping groupBy, IReadOnlyList<PortalEnvironment> environments, IReadOnlyList<string> clusters, IReadOnlyList<CostRow> rows,
        Func<CostRecord, string?> keyOf, CancellationToken ct)
    {
        var budgets = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var live = environments.Where(e => !e.IsGone).ToList();
        if (groupBy == CostGrouping.Environment)
        {
            live.ForEach(e => budgets[e.Name] = e.MonthlyBudget);
        }
        else if (groupBy == CostGrouping.Team)
        {
            IReadOnlyList<TeamBudget> teams;
            await using (var work = units.Begin())
            {
                teams = await work.Budgets.TeamBudgetsAsync(ct);
            }

            live.ForEach(e => budgets[e.OwningTeam] = 0m);
            foreach (var t in teams.Where(t => budgets.ContainsKey(t.Team)))
            {
                budgets[t.Team] = t.MonthlyBudget;
            }
        }

        var now = clock.GetUtcNow();
        var inputs = await CostHistory.MonthAsync(history, clusters, now, ct);
        var keys = budgets.Keys.Concat(rows.Select(r => r.Key)).Concat(inputs.Totals.Select(keyOf).OfType<string>()).ToHashSet(StringComparer.Ordinal);

        // An environment's key (and its services', "{environment}/…") needs only its cluster's records; a team's may span clusters.
        var clusterOf = environments.ToDictionary(e => e.Name, e => e.Cluster, StringComparer.Ordinal);
        var ofCluster = CostHistory.ByCluster(inputs);
        // One pass per cluster (per organisation for teams), not one per key: a key's month does not depend on the others'.
        var months = new Dictionary<string, MonthCost>(StringComparer.Ordinal);
        foreach (var group in keys.GroupBy(k => groupBy != CostGrouping.Team && clusterOf.TryGetValue(k.Split('/')[0], out var cluster) ? cluster : null))
        {
            var ofGroup = group.ToDictionary(k => k, k => budgets.GetValueOrDefault(k), StringComparer.Ordinal);
            var scoped = group.Key is { } cluster ? ofCluster(cluster) : inputs;
            foreach (var (key, month) in CostBreakdown.Months(scoped, r => keyOf(r) is { } k && ofGroup.ContainsKey(k) ? k : null, options.Value.ShareIdle, now, ofGroup))
            {
                months[key] = month;
            }
        }

        return keys.Order(StringComparer.Ordinal).ToDictionary(k => k, k => months[k], StringComparer.Ordinal);
    }

    private static void RequireOrder(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            var errors = new ValidationErrors();
            errors.Add("to", "must not be before from");
            throw new ValidationFailedException(errors);
        }
    }
}
