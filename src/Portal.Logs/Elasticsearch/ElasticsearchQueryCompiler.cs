using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Portal.Core.Logs.Kql;

namespace Portal.Logs.Elasticsearch;

/// <summary>
/// Turns a KQL tree into Elasticsearch query DSL the way Kibana does: free text is a lenient <c>multi_match</c>,
/// <c>field:value</c> a <c>match</c> (<c>match_phrase</c> when quoted), wildcards a <c>query_string</c>, and
/// <c>and</c>/<c>or</c>/<c>not</c> <c>bool</c> clauses with chains of the same operator flattened. Pure: no I/O.
/// </summary>
/// <param name="timestampField">Range values on this field stay strings, so date math such as <c>now-1h</c> reaches the engine.</param>
public sealed class ElasticsearchQueryCompiler(string timestampField = "@timestamp")
{
    /// <summary>Characters with a meaning in <c>query_string</c> syntax; <c>*</c> is left out on purpose (KQL's wildcard).</summary>
    private const string QueryStringSpecials = "+-=&|><!(){}[]^\"~?:\\/";

    /// <summary>The DSL for <paramref name="node"/>; null (no query) matches every document.</summary>
    public JsonObject Compile(KqlNode? node) => node switch
    {
        null => new JsonObject { ["match_all"] = new JsonObject() },
        KqlText { Value: var v } when v.IsWildcard => new JsonObject
        {
            ["query_string"] = new JsonObject { ["query"] = EscapeQueryString(v.Text) },
        },
        KqlText { Value: var v } => new JsonObject
        {
            ["multi_match"] = new JsonObject
            {
                ["type"] = v.Quoted ? "phrase" : "best_fields",
                ["query"] = v.Text,
                ["lenient"] = true,
            },
        },
        KqlMatch { Value.IsWildcard: true } m => new JsonObject
        {
            ["query_string"] = new JsonObject
            {
                ["fields"] = new JsonArray(m.Field),
                ["query"] = EscapeQueryString(m.Value.Text),
            },
        },
        KqlMatch m => new JsonObject
        {
            [m.Value.Quoted ? "match_phrase" : "match"] = new JsonObject { [m.Field] = m.Value.Text },
        },
        KqlExists e => new JsonObject { ["exists"] = new JsonObject { ["field"] = e.Field } },
        KqlRange r => new JsonObject
        {
            ["range"] = new JsonObject { [r.Field] = new JsonObject { [RangeKey(r.Operator)] = RangeValue(r) } },
        },
        KqlAnd and => new JsonObject
        {
            ["bool"] = new JsonObject { ["filter"] = new JsonArray([.. Flatten<KqlAnd>(and, a => (a.Left, a.Right)).Select(Compile)]) },
        },
        KqlOr or => new JsonObject
        {
            ["bool"] = new JsonObject
            {
                ["should"] = new JsonArray([.. Flatten<KqlOr>(or, o => (o.Left, o.Right)).Select(Compile)]),
                ["minimum_should_match"] = 1,
            },
        },
        KqlNot not => new JsonObject { ["bool"] = new JsonObject { ["must_not"] = new JsonArray(Compile(not.Operand)) } },
        _ => throw new ArgumentOutOfRangeException(nameof(node), node.GetType().Name, "Not a KQL node this compiler knows."),
    };

    /// <summary>Escapes everything <c>query_string</c> would read as syntax, whitespace included, but keeps <c>*</c> a wildcard.</summary>
    public static string EscapeQueryString(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (QueryStringSpecials.Contains(c, StringComparison.Ordinal) || char.IsWhiteSpace(c))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static string RangeKey(KqlRangeOperator op) => op switch
    {
        KqlRangeOperator.GreaterThan => "gt",
        KqlRangeOperator.GreaterThanOrEqual => "gte",
        KqlRangeOperator.LessThan => "lt",
        KqlRangeOperator.LessThanOrEqual => "lte",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private JsonNode RangeValue(KqlRange range)
    {
        var text = range.Value.Text;
        if (range.Value.Quoted || string.Equals(range.Field, timestampField, StringComparison.Ordinal))
        {
            return JsonValue.Create(text);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return JsonValue.Create(whole);
        }

        return double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number)
            ? JsonValue.Create(number)
            : JsonValue.Create(text);
    }

    /// <summary>The operands of a chain of one operator, in order: <c>(a and b) and c</c> gives a, b, c.</summary>
    private static IEnumerable<KqlNode> Flatten<T>(T node, Func<T, (KqlNode Left, KqlNode Right)> split)
        where T : KqlNode
    {
        var (left, right) = split(node);
        foreach (var side in new[] { left, right })
        {
            if (side is T same)
            {
                foreach (var inner in Flatten(same, split))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return side;
            }
        }
    }
}
