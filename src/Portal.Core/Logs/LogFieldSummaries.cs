using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Core.Logs;

/// <summary>
/// Kibana Discover's field sidebar computed from a sample of hits. A field's type comes from the JSON it holds: only
/// numbers is Number, only booleans is Boolean, anything else (or a mix) String, and <c>@timestamp</c> is always Date.
/// An array counts by its elements: each distinct element once per document, and its elements' kinds make its type.
/// A null value is as good as absent.
/// </summary>
public static class LogFieldSummaries
{
    /// <summary>One summary per field the sample carries, sorted by name (ordinal); values by count, then by text (ordinal).</summary>
    public static IReadOnlyList<LogFieldSummary> From(IReadOnlyList<JsonObject> sample, int topValues = 5)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentOutOfRangeException.ThrowIfNegative(topValues);
        var fields = new SortedDictionary<string, FieldTally>(StringComparer.Ordinal);
        foreach (var document in sample)
        {
            var seen = new HashSet<(string Field, string Value)>();
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, value) in LogDocumentFields.Flatten(document))
            {
                if (!fields.TryGetValue(name, out var tally))
                {
                    fields[name] = tally = new FieldTally();
                }

                // Not a conditional with [value]: that would build a JsonArray and re-parent the node.
                IEnumerable<JsonNode?> elements = value as JsonArray ?? (IEnumerable<JsonNode?>)[value];
                foreach (var element in elements)
                {
                    if (element is null)
                    {
                        continue;
                    }

                    tally.Kinds.Add(element.GetValueKind());
                    present.Add(name);
                    var text = LogDocumentFields.Display(element)!;
                    if (seen.Add((name, text)))
                    {
                        tally.Values[text] = tally.Values.GetValueOrDefault(text) + 1;
                    }
                }
            }

            foreach (var name in present)
            {
                fields[name].Documents++;
            }
        }

        return [.. fields.Select(field => Summarize(field.Key, field.Value, sample.Count, topValues))];
    }

    private static LogFieldSummary Summarize(string name, FieldTally tally, int sampleSize, int topValues)
    {
        var top = tally.Values
            .OrderByDescending(value => value.Value)
            .ThenBy(value => value.Key, StringComparer.Ordinal)
            .Take(topValues)
            .Select(value => new LogFieldValueCount(value.Key, value.Value, (double)value.Value / sampleSize))
            .ToList();
        return new LogFieldSummary(name, TypeOf(name, tally.Kinds), tally.Documents, top);
    }

    private static LogFieldType TypeOf(string name, HashSet<JsonValueKind> kinds)
    {
        if (name == "@timestamp")
        {
            return LogFieldType.Date;
        }

        if (kinds.Count > 0 && kinds.All(kind => kind == JsonValueKind.Number))
        {
            return LogFieldType.Number;
        }

        return kinds.Count > 0 && kinds.All(kind => kind is JsonValueKind.True or JsonValueKind.False)
            ? LogFieldType.Boolean
            : LogFieldType.String;
    }

    private sealed class FieldTally
    {
        public HashSet<JsonValueKind> Kinds { get; } = [];

        public Dictionary<string, int> Values { get; } = new(StringComparer.Ordinal);

        public int Documents { get; set; }
    }
}
