using System.Collections.Concurrent;
using Portal.Core.Alarms;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>
/// A test double for the two AWS ports, holding alarms, history, metrics and trail events the test sets, and
/// recording the trail queries it was asked: the API's own logic (scoping, triage, audit) is what is under test.
/// The real adapters are tested against CloudWatch's wire format and the sandbox in Portal.Aws.Tests.
/// </summary>
public sealed class ScriptedAlarmSource : IAlarmSource, IChangeTrail
{
    public ConcurrentDictionary<string, Alarm> Alarms { get; } = new(StringComparer.Ordinal);

    public List<AlarmHistoryItem> History { get; } = [];

    public MetricSeries? Metric { get; set; }

    public List<TrailEvent> Events { get; } = [];

    public ConcurrentQueue<(string Environment, TrailQuery Query)> TrailQueries { get; } = new();

    /// <summary>When set, every call fails with it (a throttled or unreachable CloudWatch).</summary>
    public AlarmSourceException? Failure { get; set; }

    public Task<AlarmListing> ListAsync(CancellationToken ct) =>
        Failure is { } f ? Task.FromException<AlarmListing>(f) : Task.FromResult(new AlarmListing([.. Alarms.Values], []));

    public Task<IReadOnlyList<AlarmHistoryItem>> HistoryAsync(Alarm alarm, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        Failure is { } f
            ? Task.FromException<IReadOnlyList<AlarmHistoryItem>>(f)
            : Task.FromResult<IReadOnlyList<AlarmHistoryItem>>([.. History.Where(h => h.Timestamp >= from && h.Timestamp <= to).OrderByDescending(h => h.Timestamp)]);

    public Task<MetricSeries?> MetricAsync(Alarm alarm, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        Failure is { } f ? Task.FromException<MetricSeries?>(f) : Task.FromResult(Metric);

    public Task<TrailPage> LookupAsync(string environment, TrailQuery query, CancellationToken ct)
    {
        TrailQueries.Enqueue((environment, query));
        var events = Events.Where(e => e.Time >= query.From && e.Time <= query.To)
            .Where(e => query.Attribute is not { } a || Portal.Core.Alarms.ChangeTrailService.Matches(e, a))
            .OrderByDescending(e => e.Time).Take(query.Limit).ToList();
        return Task.FromResult(new TrailPage(events, null));
    }
}
