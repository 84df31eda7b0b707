using System.Text.Json.Nodes;

namespace Portal.Logs.Tests.Elasticsearch;

/// <summary>Reads the wire data in <c>Reference/Elasticsearch/</c> (copied to the output; see the README there).</summary>
internal static class ReferenceData
{
    public static string Text(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "Elasticsearch", file));

    public static JsonObject Json(string file) => (JsonObject)JsonNode.Parse(Text(file))!;

    /// <summary>The JSON body an elasticsearch-specification example keeps as a block string under <c>value: |-</c>.</summary>
    public static JsonObject YamlValue(string file)
    {
        var lines = Text(file).Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == "value: |-");
        if (start < 0)
        {
            throw new InvalidDataException($"{file} has no 'value: |-' block.");
        }

        var body = lines.Skip(start + 1).TakeWhile(l => l.Length == 0 || l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Length == 0 ? l : l[2..]);
        return (JsonObject)JsonNode.Parse(string.Join('\n', body))!;
    }

    /// <summary>The first response of a recorded <c>_msearch</c> answer: the shape of a <c>_search</c> response.</summary>
    public static JsonObject FirstMsearchResponse(string file) => (JsonObject)Json(file)["responses"]![0]!.DeepClone();

    /// <summary>The body of the <paramref name="index"/>-th response example extracted from an OpenSearch documentation page.</summary>
    public static JsonObject DocsResponse(string file, int index = 0) =>
        (JsonObject)Json(file)["examples"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "response").ElementAt(index)!["body"]!.DeepClone();

    /// <summary>JSON compacted the way every test compares it.</summary>
    public static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString();
}
