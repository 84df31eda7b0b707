using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Portal.Kubernetes.Model;

namespace Portal.Kubernetes.Tests.Provisioning;

/// <summary>
/// Strings that try to change a YAML or JSON document's shape (new keys, objects, documents, comments, anchors, tags,
/// types) and a way to check that they did not: render once with placeholders and once with the hostile values, and the
/// two parsed documents must be the same tree with each placeholder replaced by its value.
/// </summary>
internal static class HostileText
{
    /// <summary>Fragments that mean something to YAML, JSON, Go templates or a shell; each alone, or several joined.</summary>
    public static readonly string[] Fragments =
    [
        "\n", "\r\n", "\r", "\t", "\u0085", "\u2028", "\u2029", "\u0000", "\u001b[31m", "\ufeff", "\ufffe", "\uffff",
        "\ud800", "\udfff", "😀", "é", "日本", ": ", ":", "- ", "-", "---", "...", "#", " #", "{", "}", "[", "]", ",", "&a",
        "*a", "!!binary", "!", "|", ">", "%YAML 1.2", "@", "`", "'", "\"", "\\", "\\n", "\\u0041", "<<", "~", "null", "true",
        "no", "0x1F", "1e3", "0o17", ".inf", "8080", " ", "  ", "? ", "{{ .Values.x }}", "${HOME}", "$(id)",
        "\"metadata\": {\"name\": \"evil\"}", "\nkind: Secret\n", "\n---\napiVersion: v1\nkind: Secret\n", "x\n  injected: true",
        "\"}, \"evil\": {\"", "a: b\nc: d", "- item\n- item",
    ];

    /// <summary>One to five fragments and letters, sometimes a very long run: mostly hostile, always non-empty.</summary>
    public static Gen<string> Value =>
        Gen.Frequency(
            (8, Gen.Choose(1, 5).SelectMany(count => Gen.ArrayOf(Atom, count)).Select(string.Concat)),
            (2, Gen.Choose(1, 30).SelectMany(length => Gen.ArrayOf(Gen.Choose(1, 0xFFFF).Select(c => ((char)c).ToString()), length)).Select(string.Concat)),
            (1, Gen.Elements(Fragments).Select(f => string.Concat(Enumerable.Repeat(f + "x", 2_000)))));

    private static Gen<string> Atom =>
        Gen.Frequency(
            (3, Gen.Elements(Fragments)),
            (1, Gen.Elements("a", "Z", "0", "orders", "kind", "metadata", "name")));

    /// <summary>The placeholder for the <paramref name="index"/>th value: plain YAML and in no manifest on its own.</summary>
    public static string Placeholder(int index) => $"zqplaceholder{index}q";

    /// <summary>
    /// The single document of <paramref name="yaml"/>; fails when the text holds another document or does not parse.
    /// </summary>
    public static JsonNode SingleDocument(string yaml)
    {
        var documents = YamlJson.ParseAll(yaml);
        documents.Count.ShouldBe(1, yaml);
        return documents[0];
    }

    /// <summary>
    /// <paramref name="template"/> (rendered with placeholders) with every string value or key that is a placeholder
    /// replaced by its value (also inside a longer string): what the hostile rendering must parse back to, exactly.
    /// </summary>
    public static JsonNode? Substitute(JsonNode? template, IReadOnlyList<string> values) => template switch
    {
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(Replace(kv.Key, values), Substitute(kv.Value, values)))),
        JsonArray a => new JsonArray([.. a.Select(item => Substitute(item, values))]),
        JsonValue v when v.TryGetValue<string>(out var s) => JsonValue.Create(Replace(s, values)),
        _ => template?.DeepClone(),
    };

    /// <summary>
    /// Whether two trees are the same: same keys in the same order, same types, strings equal ordinal (compared as
    /// .NET strings, so lone surrogates need no JSON encoding).
    /// </summary>
    public static bool Same(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => true,
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.Zip(y).All(p => p.First.Key == p.Second.Key && Same(p.First.Value, p.Second.Value)),
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => Same(p.First, p.Second)),
        (JsonValue x, JsonValue y) when x.TryGetValue<string>(out var s) => y.TryGetValue<string>(out var t) && s == t,
        (JsonValue x, JsonValue y) => !y.TryGetValue<string>(out _) && x.ToJsonString() == y.ToJsonString(),
        _ => false,
    };

    /// <summary>Each placeholder inside <paramref name="text"/> replaced (placeholders end in 'q', so none is a prefix of another).</summary>
    private static string Replace(string text, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            text = text.Replace(Placeholder(i), values[i], StringComparison.Ordinal);
        }

        return text;
    }
}
