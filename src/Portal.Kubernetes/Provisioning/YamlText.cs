using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Portal.Kubernetes.Provisioning;

/// <summary>JSON nodes as block YAML, the way kubectl prints them, for people to read in a preview.</summary>
public static class YamlText
{
    /// <summary>The longest key YAML reads in the usual "key: value" form (the spec's limit is 1024 characters).</summary>
    private const int MaxImplicitKey = 1000;

    public static string From(JsonNode node)
    {
        var text = new StringBuilder();
        Write(text, node, 0, inSequence: false);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonNode? node, int indent, bool inSequence)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                var first = true;
                foreach (var (key, value) in obj)
                {
                    if (!(first && inSequence))
                    {
                        text.Append(' ', indent);
                    }

                    first = false;
                    var scalar = Scalar(key);
                    if (scalar.Length > MaxImplicitKey)
                    {
                        // YAML reads a key of more than 1024 characters only in the explicit "? key" form.
                        text.Append("? ").Append(scalar).Append('\n').Append(' ', indent).Append(':');
                    }
                    else
                    {
                        text.Append(scalar).Append(':');
                    }

                    WriteValue(text, value, indent + 2);
                }

                break;
            case JsonArray array when array.Count > 0:
                // An array inside an array starts on its parent's "- " line ("- - a"), like an object does.
                var firstItem = true;
                foreach (var item in array)
                {
                    if (!(firstItem && inSequence))
                    {
                        text.Append(' ', indent);
                    }

                    firstItem = false;
                    text.Append("- ");
                    if (item is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                    {
                        Write(text, item, indent + 2, inSequence: true);
                    }
                    else
                    {
                        text.Append(Inline(item)).Append('\n');
                    }
                }

                break;
            default:
                text.Append(Inline(node)).Append('\n');
                break;
        }
    }

    private static void WriteValue(StringBuilder text, JsonNode? value, int indent)
    {
        if (value is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
        {
            text.Append('\n');
            Write(text, value, value is JsonArray ? indent - 2 : indent, inSequence: false);
        }
        else
        {
            text.Append(' ').Append(Inline(value)).Append('\n');
        }
    }

    private static string Inline(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v when v.TryGetValue<string>(out var s) => Scalar(s),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => node.ToJsonString(),
    };

    /// <summary>Quotes a string that YAML would read as something else (a number, a boolean, null) or that has special characters.</summary>
    private static string Scalar(string s)
    {
        var plain = s.Length > 0
            && !s.Any(c => c is ':' or '#' or '\'' or '"' or '{' or '}' or '[' or ']' or ',' or '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`' || IsBreakOrControl(c))
            && !char.IsWhiteSpace(s[0]) && !char.IsWhiteSpace(s[^1]) && s[0] is not ('-' or '?')
            && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            && s is not ("true" or "false" or "True" or "False" or "TRUE" or "FALSE" or "null" or "Null" or "NULL" or "~" or "yes" or "no" or "on" or "off");
        return plain ? s : Quoted(s);
    }

    /// <summary>Control characters and Unicode line breaks (U+0085, U+2028, U+2029) would end or fold a line: escaped.</summary>
    private static bool IsBreakOrControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    private static string Quoted(string s)
    {
        var quoted = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            _ = c switch
            {
                '\\' => quoted.Append("\\\\"),
                '"' => quoted.Append("\\\""),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                '\t' => quoted.Append("\\t"),
                _ when IsBreakOrControl(c) => quoted.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }
}
