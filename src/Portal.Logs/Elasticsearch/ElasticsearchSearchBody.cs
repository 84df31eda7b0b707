using System.Globalization;
using System.Text.Json.Nodes;
using Portal.Core.Logs;

namespace Portal.Logs.Elasticsearch;

/// <summary>Everything one <c>_search</c> body is made of.</summary>
internal sealed record SearchPlan
{
    /// <summary>The compiled KQL (<see cref="ElasticsearchQueryCompiler"/>).</summary>
    public required JsonObject Query { get; init; }

    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    public required int Size { get; init; }

    public LogOrder Order { get; init; } = LogOrder.NewestFirst;

    public required string TimestampField { get; init; }

    /// <summary><c>_shard_doc</c>, or <c>_id</c> where the engine lacks it (OpenSearch before 3.3).</summary>
    public required string Tiebreaker { get; init; }

    /// <summary>The namespace filter that keeps hits to the scopes, when environments are told apart by a field.</summary>
    public JsonObject? ScopeFilter { get; init; }

    public TimeSpan? HistogramInterval { get; init; }

    public string? PitId { get; init; }

    public string KeepAlive { get; init; } = "2m";

    public JsonArray? SearchAfter { get; init; }

    /// <summary>A document to leave out: the cursor's own hit when its point in time had to be replaced.</summary>
    public string? ExcludeId { get; init; }
}

/// <summary>Builds the <c>_search</c> request body the way Kibana's Discover does.</summary>
internal static class ElasticsearchSearchBody
{
    public static JsonObject Build(SearchPlan plan)
    {
        var order = plan.Order == LogOrder.OldestFirst ? "asc" : "desc";
        var filter = new JsonArray();
        if (!plan.Query.ContainsKey("match_all"))
        {
            filter.Add(plan.Query.DeepClone());
        }

        filter.Add(new JsonObject
        {
            ["range"] = new JsonObject
            {
                [plan.TimestampField] = new JsonObject
                {
                    ["gte"] = Iso(plan.From),
                    ["lte"] = Iso(plan.To),
                    ["format"] = "strict_date_optional_time",
                },
            },
        });
        if (plan.ScopeFilter is not null)
        {
            filter.Add(plan.ScopeFilter.DeepClone());
        }

        var boolQuery = new JsonObject { ["filter"] = filter };
        if (plan.ExcludeId is not null)
        {
            boolQuery["must_not"] = new JsonArray(new JsonObject { ["ids"] = new JsonObject { ["values"] = new JsonArray(plan.ExcludeId) } });
        }

        var body = new JsonObject { ["size"] = plan.Size, ["track_total_hits"] = true };
        if (plan.Size > 0)
        {
            // _shard_doc exists only inside a point in time, and a count alone needs no order.
            body["sort"] = new JsonArray(
                new JsonObject
                {
                    [plan.TimestampField] = new JsonObject { ["order"] = order, ["format"] = "strict_date_optional_time_nanos" },
                },
                new JsonObject { [plan.Tiebreaker] = order });
        }

        body["query"] = new JsonObject { ["bool"] = boolQuery };
        if (plan.HistogramInterval is { } interval)
        {
            body["aggs"] = new JsonObject
            {
                ["histogram"] = new JsonObject
                {
                    ["date_histogram"] = new JsonObject
                    {
                        ["field"] = plan.TimestampField,
                        ["fixed_interval"] = FixedInterval(interval),
                        ["min_doc_count"] = 0,
                        ["extended_bounds"] = new JsonObject
                        {
                            ["min"] = plan.From.ToUnixTimeMilliseconds(),
                            ["max"] = plan.To.ToUnixTimeMilliseconds(),
                        },
                    },
                },
            };
        }

        if (plan.PitId is not null)
        {
            body["pit"] = new JsonObject { ["id"] = plan.PitId, ["keep_alive"] = plan.KeepAlive };
        }

        if (plan.SearchAfter is not null)
        {
            body["search_after"] = plan.SearchAfter.DeepClone();
        }

        return body;
    }

    /// <summary>An interval in the largest Elasticsearch unit that divides it: <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>, else milliseconds.</summary>
    public static string FixedInterval(TimeSpan interval)
    {
        if (interval < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A histogram interval must be at least one millisecond.");
        }

        var ms = (long)interval.TotalMilliseconds;
        (long Size, string Unit)[] units = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s")];
        foreach (var (size, unit) in units)
        {
            if (ms % size == 0)
            {
                return (ms / size).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    /// <summary>ISO 8601 in UTC with milliseconds, as a browser's <c>toISOString()</c> writes it.</summary>
    public static string Iso(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
