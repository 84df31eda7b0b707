using System.Globalization;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Portal.Core.Logs;

namespace Portal.Logs.Elasticsearch;

/// <summary>One hit as the engine returned it, before it becomes a <see cref="LogHit"/>.</summary>
internal sealed record RawHit(string Id, string Index, JsonObject Source, DateTimeOffset Timestamp, JsonArray Sort);

/// <summary>The parts of a <c>_search</c> response the back end uses.</summary>
internal sealed record ParsedSearch(IReadOnlyList<RawHit> Hits, long Total, IReadOnlyDictionary<long, long> Buckets, string? PitId);

/// <summary>Reads the engine's JSON answers: search hits, totals and histograms, field capabilities, PIT ids and errors.</summary>
internal static partial class ElasticsearchResponses
{
    public static ParsedSearch ParseSearch(JsonObject response, string timestampField)
    {
        var hitsObject = response["hits"] as JsonObject;
        var hits = new List<RawHit>();
        foreach (var node in hitsObject?["hits"] as JsonArray ?? [])
        {
            if (node is not JsonObject hit)
            {
                continue;
            }

            var source = hit["_source"] as JsonObject ?? [];
            var sort = hit["sort"] as JsonArray ?? [];
            hits.Add(new RawHit(
                hit["_id"]?.GetValue<string>() ?? "",
                hit["_index"]?.GetValue<string>() ?? "",
                (JsonObject)source.DeepClone(),
                TimestampOf(source, timestampField) ?? (sort.Count > 0 ? ParseInstant(sort[0]) : null) ?? DateTimeOffset.UnixEpoch,
                (JsonArray)sort.DeepClone()));
        }

        var total = hitsObject?["total"] switch
        {
            JsonObject t => t["value"]?.GetValue<long>() ?? 0,
            JsonValue v when v.TryGetValue<long>(out var n) => n,
            _ => hits.Count,
        };

        var buckets = new Dictionary<long, long>();
        if (response["aggregations"]?["histogram"]?["buckets"] is JsonArray bucketArray)
        {
            foreach (var bucket in bucketArray.OfType<JsonObject>())
            {
                if (bucket["key"] is JsonValue key && bucket["doc_count"] is JsonValue count)
                {
                    buckets[(long)key.GetValue<double>()] = count.GetValue<long>();
                }
            }
        }

        return new ParsedSearch(hits, total, buckets, response["pit_id"]?.GetValue<string>());
    }

    /// <summary>Every bucket from the one holding <paramref name="from"/> to the one holding <paramref name="to"/>, empty ones as 0.</summary>
    public static IReadOnlyList<LogHistogramBucket> Histogram(DateTimeOffset from, DateTimeOffset to, TimeSpan interval, IReadOnlyDictionary<long, long> counts)
    {
        var width = Math.Max(1, (long)interval.TotalMilliseconds);
        var first = FloorTo(from.ToUnixTimeMilliseconds(), width);
        var last = FloorTo(to.ToUnixTimeMilliseconds(), width);
        var buckets = new List<LogHistogramBucket>((int)Math.Min(100_000, ((last - first) / width) + 1));
        for (var start = first; start <= last; start += width)
        {
            buckets.Add(new LogHistogramBucket(DateTimeOffset.FromUnixTimeMilliseconds(start), counts.GetValueOrDefault(start)));
        }

        return buckets;
    }

    /// <summary>The fields of <c>_field_caps</c>, without metadata fields, objects, or multi-fields of a field already listed.</summary>
    public static IReadOnlyList<LogField> ParseFieldCaps(JsonObject response)
    {
        if (response["fields"] is not JsonObject fields)
        {
            return [];
        }

        var types = new Dictionary<string, LogFieldType>(StringComparer.Ordinal);
        foreach (var (name, byType) in fields)
        {
            if (name.StartsWith('_') || byType is not JsonObject capabilities)
            {
                continue;
            }

            var mapped = capabilities
                .Where(c => c.Value is JsonObject cap && cap["metadata_field"]?.GetValue<bool>() != true)
                .Select(c => c.Key)
                .Where(t => t is not ("object" or "nested" or "unmapped"))
                .Select(MapType)
                .Distinct()
                .ToList();
            if (mapped.Count > 0)
            {
                types[name] = mapped.Count == 1 ? mapped[0] : LogFieldType.String;
            }
        }

        return [.. types
            .Where(t => !IsMultiField(t.Key, types))
            .Select(t => new LogField(t.Key, t.Value))
            .OrderBy(f => f.Name, StringComparer.Ordinal)];
    }

    /// <summary>The id of a newly opened point in time: <c>id</c> on Elasticsearch, <c>pit_id</c> on OpenSearch.</summary>
    public static string? ParsePitId(JsonObject response) =>
        (response["id"] ?? response["pit_id"]) is JsonValue v && v.TryGetValue<string>(out var id) && id.Length > 0 ? id : null;

    /// <summary>The error's type and the most specific reason the envelope carries.</summary>
    public static (string? Type, string? Reason) ParseError(JsonNode? body)
    {
        if (body?["error"] is not JsonObject error)
        {
            return (null, body?["error"] is JsonValue plain && plain.TryGetValue<string>(out var text) ? text : null);
        }

        var type = error["type"]?.GetValue<string>();
        var reason = (error["root_cause"] as JsonArray)?.OfType<JsonObject>().Select(r => r["reason"]?.GetValue<string>()).FirstOrDefault(r => r is not null)
            ?? error["caused_by"]?["reason"]?.GetValue<string>()
            ?? error["reason"]?.GetValue<string>();
        return (type, reason);
    }

    /// <summary>Whether the error says the point in time is gone (expired, or freed when its node restarted).</summary>
    public static bool IsMissingPit(int status, JsonNode? body)
    {
        var error = body?["error"] as JsonObject;
        var types = new[] { error?["type"]?.GetValue<string>() }
            .Concat((error?["root_cause"] as JsonArray)?.OfType<JsonObject>().Select(r => r["type"]?.GetValue<string>()) ?? []);
        return types.Any(t => t == "search_context_missing_exception")
            || (status == 404 && error?["reason"]?.GetValue<string>()?.Contains("search context", StringComparison.OrdinalIgnoreCase) == true);
    }

    private static bool IsMultiField(string name, Dictionary<string, LogFieldType> fields)
    {
        var dot = name.LastIndexOf('.');
        return dot > 0 && fields.ContainsKey(name[..dot]);
    }

    private static LogFieldType MapType(string type) => type switch
    {
        "long" or "integer" or "short" or "byte" or "double" or "float" or "half_float" or "scaled_float" or "unsigned_long" => LogFieldType.Number,
        "date" or "date_nanos" => LogFieldType.Date,
        "boolean" => LogFieldType.Boolean,
        _ => LogFieldType.String,
    };

    private static DateTimeOffset? TimestampOf(JsonObject source, string field) => ParseInstant(JsonPaths.Find(source, field));

    /// <summary>An ISO 8601 string (UTC when it has no offset) or epoch milliseconds.</summary>
    private static DateTimeOffset? ParseInstant(JsonNode? node)
    {
        if (node is JsonArray { Count: > 0 } array)
        {
            node = array[0];
        }

        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<string>(out var text))
        {
            // .NET reads at most seven fractional digits; date_nanos values carry nine.
            text = ExtraFractionDigits().Replace(text, "$1");
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                return parsed;
            }

            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? FromMilliseconds(ms) : null;
        }

        return value.TryGetValue<double>(out var number) ? FromMilliseconds((long)number) : null;
    }

    private static DateTimeOffset? FromMilliseconds(long ms) =>
        ms is >= -62_135_596_800_000 and <= 253_402_300_799_999 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    private static long FloorTo(long value, long width)
    {
        var remainder = value % width;
        return remainder < 0 ? value - remainder - width : value - remainder;
    }

    [GeneratedRegex(@"(\.[0-9]{7})[0-9]+")]
    private static partial Regex ExtraFractionDigits();
}
