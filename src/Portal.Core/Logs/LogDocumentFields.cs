using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Core.Logs;

/// <summary>
/// A log document's fields as Kibana's Discover shows them: dotted names for nested objects, a field's value looked up
/// by dotted name whether the document nests it or stores the dotted key literally, and a value as display text.
/// </summary>
public static class LogDocumentFields
{
    private static readonly JsonSerializerOptions CompactJson = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Every leaf field in document order: <c>{"kubernetes":{"pod_name":"x"}}</c> gives <c>kubernetes.pod_name</c>. An
    /// array is one field whose value is the array; an empty object has no fields; a null value is a field with null.
    /// The values are the document's own nodes (<c>DeepClone</c> one before adding it to another document).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, JsonNode?>> Flatten(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var fields = new List<KeyValuePair<string, JsonNode?>>();
        Flatten(document, "", fields);
        return fields;
    }

    /// <summary>
    /// The value at <paramref name="dottedName"/>, null when absent. <c>a.b.c</c> is found as a literal key
    /// <c>"a.b.c"</c>, or nested as <c>a</c> then <c>b.c</c>, <c>a.b</c> then <c>c</c>, and so on (Fluent Bit and
    /// Elasticsearch both accept either); a literal key wins over nesting, a shorter prefix over a longer one.
    /// </summary>
    public static JsonNode? Get(JsonObject document, string dottedName)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(dottedName);
        return TryGet(document, dottedName, out var value) ? value : null;
    }

    /// <summary>
    /// Display text: strings raw, numbers as JSON writes them (invariant), booleans lower case, objects and arrays compact
    /// JSON (non-ASCII unescaped); null for null.
    /// </summary>
    public static string? Display(JsonNode? value) => value switch
    {
        null => null,
        // A string node may hold a .NET value (a DateTime, say) rather than a string: read that back from its JSON.
        JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String =>
            scalar.TryGetValue<string>(out var text) ? text : JsonNode.Parse(scalar.ToJsonString())!.GetValue<string>(),
        _ => value.ToJsonString(CompactJson),
    };

    private static void Flatten(JsonObject node, string prefix, List<KeyValuePair<string, JsonNode?>> fields)
    {
        foreach (var (name, value) in node)
        {
            var dotted = prefix + name;
            if (value is JsonObject child)
            {
                Flatten(child, dotted + ".", fields);
            }
            else
            {
                fields.Add(new(dotted, value));
            }
        }
    }

    private static bool TryGet(JsonObject node, string name, out JsonNode? value)
    {
        if (node.TryGetPropertyValue(name, out value))
        {
            return true;
        }

        for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = name.IndexOf('.', dot + 1))
        {
            if (node.TryGetPropertyValue(name[..dot], out var prefix) && prefix is JsonObject child
                && TryGet(child, name[(dot + 1)..], out value))
            {
                return true;
            }
        }

        value = null;
        return false;
    }
}
