using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Portal.Core.Actions;

namespace Portal.Core.Costs;

/// <summary>
/// What one run did: clusters sampled, clusters whose slot was already sampled (by another replica, or before a
/// restart), clusters that failed with the reason, and the budget notices raised after. <see cref="NewProblems"/> are
/// the problems (a cluster's, or "(budget notices)") the previous run did not report: Core has no logger, so the host
/// logs these, and a cluster that stays down is logged once, not every slot.
/// </summary>
public sealed record CostSamplingResult(
    IReadOnlyList<string> Sampled,
    IReadOnlyList<string> AlreadySampled,
    IReadOnlyDictionary<string, string> Failed,
    IReadOnlyList<BudgetNotice> Raised)
{
    public IReadOnlyDictionary<string, string> NewProblems { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Samples every cluster once per slot: the slot is now floored to <see cref="CostsOptions.SampleInterval"/>, its
/// records come from <see cref="CostSampler"/> over the cluster's snapshot and are added into their hour by the store,
/// which claims the slot so a second run in it (another replica, a restart) writes nothing. A cluster that cannot be
/// read is skipped and the others are still sampled; its slot stays a gap. Then the month is read into <see cref="CostInputsCache"/> and its budget notices are raised.
/// Time comes from the injected clock; a host runs it at each slot boundary.
/// </summary>
public sealed class CostSamplingJob(
    ICostSnapshotSource source,
    ICostStore store,
    CostInputsCache history,
    IUnitOfWorkFactory units,
    BudgetService budgets,
    IOptions<CostsOptions> options,
    TimeProvider clock)
{
    public const string Name = "costs.sample";

    private const string BudgetsKey = "(budget notices)";
    private readonly ConcurrentDictionary<string, string> _lastProblems = new(StringComparer.Ordinal);

    public async Task<CostSamplingResult> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var interval = options.Value.SampleInterval;
        var slotStart = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % interval.Ticks), TimeSpan.Zero);
        IReadOnlyList<Environments.PortalEnvironment> environments;
        await using (var work = units.Begin())
        {
            environments = [.. (await work.Environments.ListAsync(ct)).Where(e => !e.IsGone)];
        }

        var sampled = new List<string>();
        var already = new List<string>();
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var cluster in source.Clusters)
        {
            try
            {
                var snapshot = await source.SnapshotAsync(cluster, ct);
                var namespaces = environments.Where(e => e.Cluster == cluster).Select(e => e.Namespace).ToHashSet(StringComparer.Ordinal);
                var records = CostSampler.Sample(snapshot, options.Value.PricesFor(cluster), slotStart, interval, namespaces);
                var slot = new CostSlot(cluster, slotStart, interval, snapshot.Usage, now);
                (await store.RecordSampleAsync(slot, records, ct) ? sampled : already).Add(cluster);
            }
            catch (CostSourceException ex)
            {
                failed[cluster] = ex.Message;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Not the cluster's fault (the store, a bug): still only this cluster's slot is lost. The type, never
                // the message, which may carry a connection string.
                failed[cluster] = $"Sampling {cluster} failed unexpectedly ({ex.GetType().Name}).";
            }
        }

        IReadOnlyList<BudgetNotice> raised = [];
        var problems = new Dictionary<string, string>(failed, StringComparer.Ordinal);
        try
        {
            // The month is what every status and cost page reads first: summed now, once, not by the next person to ask.
            await CostHistory.MonthAsync(history, source.Clusters, now, ct);
            raised = await budgets.RaiseNoticesAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            problems[BudgetsKey] = $"Reading the month or raising budget notices failed ({ex.GetType().Name}); the next run tries again.";
        }

        return new CostSamplingResult(sampled, already, failed, raised) { NewProblems = NewProblems(problems) };
    }

    /// <summary>The failures that differ from what the previous run reported; forgets those that cleared.</summary>
    private Dictionary<string, string> NewProblems(IReadOnlyDictionary<string, string> failed)
    {
        var fresh = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, problem) in failed)
        {
            if (!_lastProblems.TryGetValue(key, out var before) || before != problem)
            {
                fresh[key] = problem;
            }

            _lastProblems[key] = problem;
        }

        foreach (var key in _lastProblems.Keys.Where(k => !failed.ContainsKey(k)).ToList())
        {
            _lastProblems.TryRemove(key, out _);
        }

        return fresh;
    }
}
