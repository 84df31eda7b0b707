using System.Text.Json.Nodes;

namespace Portal.Sandbox.Aws.CloudWatch;

/// <summary>
/// One published datapoint: the statistics of one series over [<see cref="Start"/>, Start + <see cref="Resolution"/>
/// seconds). A resolution under 60 seconds makes it high-resolution data.
/// </summary>
internal sealed record MetricDatum(MetricId Metric, string Unit, DateTimeOffset Start, StatisticSet Values, int Resolution = 60);

/// <summary>
/// The sandbox CloudWatch's metric storage: statistic sets per series and period of publication, from which any
/// requested period is aggregated. As in CloudWatch, high-resolution data (periods under 60 seconds) is kept at its
/// resolution for <see cref="HighResolutionRetention"/> (3 hours) and then rolled up into 1-minute data. CloudWatch keeps
/// 1-minute data for 15 days (then 5-minute and 1-hour roll-ups); the sandbox keeps <see cref="Retention"/>, 24 hours,
/// and drops it then. Published datapoints are appended to a JSON-lines file and read back on start.
/// </summary>
internal sealed class MetricStore
{
    /// <summary>How long datapoints are kept: 24 hours (CloudWatch keeps 1-minute data 15 days).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>How long sub-minute datapoints stay sub-minute before they are rolled up into minutes, as in CloudWatch.</summary>
    public static readonly TimeSpan HighResolutionRetention = TimeSpan.FromHours(3);

    private readonly Lock _lock = new();
    private readonly Dictionary<MetricId, Series> _series = [];
    private readonly JsonLinesFile _file;
    private int _appendedSinceCompaction;

    public MetricStore(string path, DateTimeOffset now)
    {
        _file = new JsonLinesFile(path);
        foreach (var record in _file.Load())
        {
            Publish(Parse(record), now, persist: false);
        }

        Compact(now);
    }

    /// <summary>Stores datapoints (merged into any already there for the same series and start) and persists them.</summary>
    public void Publish(IReadOnlyList<MetricDatum> data, DateTimeOffset now, bool persist = true)
    {
        if (data.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var datum in data)
            {
                if (!_series.TryGetValue(datum.Metric, out var series))
                {
                    _series[datum.Metric] = series = new Series(datum.Unit);
                }

                series.Add(datum.Start.ToUnixTimeSeconds(), datum.Resolution, datum.Values);
            }

            if (persist)
            {
                _file.Append(data.GroupBy(d => (d.Start, d.Resolution)).Select(g => Record(g.Key.Start, g.Key.Resolution, g)));
                _appendedSinceCompaction += data.Count;
            }
        }

        // Every so often the expired datapoints leave the file and the old high-resolution ones become minutes there too.
        if (persist && _appendedSinceCompaction >= 20_000)
        {
            Compact(now);
        }
    }

    /// <summary>
    /// The series' data aggregated into periods of <paramref name="periodSeconds"/> starting at <paramref name="start"/>
    /// (rounded down to its second), for data in [start, <paramref name="end"/>); periods without data are absent.
    /// </summary>
    public IReadOnlyList<(DateTimeOffset Start, StatisticSet Values)> Read(MetricId metric, string? unit, DateTimeOffset start, DateTimeOffset end, int periodSeconds)
    {
        lock (_lock)
        {
            if (!_series.TryGetValue(metric, out var series) || (unit is not null && unit != series.Unit))
            {
                return [];
            }

            var first = start.ToUnixTimeSeconds();
            var stop = end.ToUnixTimeSeconds();
            var periods = new SortedDictionary<long, StatisticSet>();
            foreach (var (at, (_, values)) in series.Points)
            {
                if (at >= first && at < stop)
                {
                    var period = first + ((at - first) / periodSeconds * periodSeconds);
                    periods[period] = periods.TryGetValue(period, out var sum) ? sum.Merge(values) : values;
                }
            }

            return [.. periods.Select(p => (DateTimeOffset.FromUnixTimeSeconds(p.Key), p.Value))];
        }
    }

    /// <summary>Rolls high-resolution data older than 3 hours up into minutes, drops what is older than the retention, and rewrites the file.</summary>
    public void Compact(DateTimeOffset now)
    {
        var oldest = (now - Retention).ToUnixTimeSeconds();
        var rollUp = (now - HighResolutionRetention).ToUnixTimeSeconds();
        lock (_lock)
        {
            foreach (var series in _series.Values)
            {
                foreach (var (at, (resolution, values)) in series.Points.Where(p => p.Key < oldest || (p.Key < rollUp && p.Value.Resolution < 60)).ToList())
                {
                    series.Points.Remove(at);
                    if (at >= oldest)
                    {
                        series.Add(at - (((at % 60) + 60) % 60), 60, values);
                    }
                }
            }

            var records = _series.SelectMany(s => s.Value.Points.Select(p => new MetricDatum(s.Key, s.Value.Unit, DateTimeOffset.FromUnixTimeSeconds(p.Key), p.Value.Values, p.Value.Resolution)))
                .GroupBy(d => (d.Start, d.Resolution)).OrderBy(g => g.Key.Start);
            _file.Rewrite(records.Select(g => Record(g.Key.Start, g.Key.Resolution, g)));
            _appendedSinceCompaction = 0;
        }
    }

    private static JsonObject Record(DateTimeOffset start, int resolution, IEnumerable<MetricDatum> data) => new()
    {
        ["t"] = start.ToUnixTimeSeconds(),
        ["r"] = resolution,
        ["d"] = new JsonArray([.. data.Select(d => (JsonNode)new JsonObject
        {
            ["ns"] = d.Metric.Namespace,
            ["name"] = d.Metric.MetricName,
            ["dims"] = d.Metric.Dimensions,
            ["unit"] = d.Unit,
            ["n"] = d.Values.SampleCount,
            ["sum"] = d.Values.Sum,
            ["min"] = d.Values.Minimum,
            ["max"] = d.Values.Maximum,
        })]),
    };

    private static List<MetricDatum> Parse(JsonObject record)
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(record["t"]!.GetValue<long>());
        var resolution = (int?)record["r"] ?? 60;
        return [.. record["d"]!.AsArray().OfType<JsonObject>().Select(d => new MetricDatum(
            new MetricId((string)d["ns"]!, (string)d["name"]!, (string)d["dims"]!),
            (string)d["unit"]!,
            start,
            new StatisticSet((double)d["n"]!, (double)d["sum"]!, (double)d["min"]!, (double)d["max"]!),
            resolution))];
    }

    /// <summary>A series' datapoints, keyed by their start in seconds since the epoch, with the resolution each was published at.</summary>
    private sealed class Series(string unit)
    {
        public string Unit { get; } = unit;

        public Dictionary<long, (int Resolution, StatisticSet Values)> Points { get; } = [];

        public void Add(long at, int resolution, StatisticSet values) =>
            Points[at] = Points.TryGetValue(at, out var existing) ? (Math.Max(existing.Resolution, resolution), existing.Values.Merge(values)) : (resolution, values);
    }
}
