using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Core.Logs;

namespace Portal.Logs.Embedded;

/// <summary>One document as the FTS5 table receives it: the <c>text</c> and <c>terms</c> columns, and its fields' types.</summary>
internal sealed record IndexedDocument(string Text, string Terms, IReadOnlyList<KeyValuePair<string, LogFieldType>> Fields);

/// <summary>
/// Turns a document into tokens (<see cref="LogTokens"/>), as Elasticsearch's dynamic mapping would index it: every
/// field by its dotted name (nested objects and dotted keys alike), strings as analyzed text plus a keyword, numbers
/// also as numbers. <c>text</c> holds each distinct word of every value once (free text searches all fields);
/// <c>terms</c> holds per value <c>x</c> (present), <c>k</c> (whole value, and its first 8, 16, 32 and 64 characters), <c>n</c> (number) and then the <c>f</c>
/// words in order, so a phrase is adjacent only within one value.
/// </summary>
internal static class LogDocumentIndexer
{
    /// <summary>The time field: its instant is the row's id, so it is indexed only as present.</summary>
    public const string TimestampField = "@timestamp";

    public static IndexedDocument Index(string environment, JsonObject document)
    {
        var text = new StringBuilder(256);
        var terms = new StringBuilder(1024);
        var words = new HashSet<string>(StringComparer.Ordinal);
        var fields = new List<KeyValuePair<string, LogFieldType>>();
        terms.Append(LogTokens.AllRows).Append(' ').Append(LogTokens.Environment(environment));
        foreach (var (name, value) in LogDocumentFields.Flatten(document))
        {
            IndexValue(name, value, terms, words, fields);
        }

        foreach (var word in words)
        {
            text.Append(LogTokens.TextWord(word)).Append(' ');
        }

        return new IndexedDocument(text.ToString(), terms.ToString(), fields);
    }

    /// <summary>A scalar's text as it is searched: strings as they are, numbers as written, booleans as true/false.</summary>
    public static string? ScalarText(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        }
        : null;

    /// <summary>The number a scalar stands for: a JSON number, or a string that is one (as Fluent Bit parsers ship them).</summary>
    public static bool TryNumber(string text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    /// <summary>The scalars of a flattened value: itself, or an array's elements (nested arrays and objects included).</summary>
    public static IEnumerable<(string Name, JsonNode? Value)> Scalars(string name, JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var scalar in Scalars(name, item))
                    {
                        yield return scalar;
                    }
                }

                break;
            case JsonObject inner:
                foreach (var (innerName, innerValue) in LogDocumentFields.Flatten(inner))
                {
                    foreach (var scalar in Scalars(name + "." + innerName, innerValue))
                    {
                        yield return scalar;
                    }
                }

                break;
            default:
                yield return (name, node);
                break;
        }
    }

    private static void IndexValue(string flatName, JsonNode? node, StringBuilder terms, HashSet<string> words, List<KeyValuePair<string, LogFieldType>> fields)
    {
        foreach (var (name, value) in Scalars(flatName, node))
        {
            var text = ScalarText(value);
            if (text is null)
            {
                continue;
            }

            var kind = ((JsonValue)value!).GetValueKind();
            fields.Add(new(name, TypeOf(name, kind)));
            terms.Append(' ').Append(LogTokens.Exists(name));
            if (string.Equals(name, TimestampField, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (text.Length <= LogTokens.KeywordMaxLength)
            {
                foreach (var keyword in LogTokens.Keywords(name, text))
                {
                    terms.Append(' ').Append(keyword);
                }
            }

            if (kind is JsonValueKind.Number or JsonValueKind.String && TryNumber(text, out var number))
            {
                terms.Append(' ').Append(LogTokens.Number(name, number));
            }

            foreach (var word in LogTokens.Words(text))
            {
                terms.Append(' ').Append(LogTokens.FieldWord(name, word));
                words.Add(word);
            }
        }
    }

    private static LogFieldType TypeOf(string name, JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => LogFieldType.Number,
        JsonValueKind.True or JsonValueKind.False => LogFieldType.Boolean,
        _ when string.Equals(name, TimestampField, StringComparison.OrdinalIgnoreCase) => LogFieldType.Date,
        _ => LogFieldType.String,
    };
}
