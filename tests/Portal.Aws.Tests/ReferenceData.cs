using System.Text.Json.Nodes;

namespace Portal.Aws.Tests;

/// <summary>Reads the wire data in <c>Reference/</c> (copied to the output; see the README there).</summary>
internal static class ReferenceData
{
    public static string Text(string path) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", path));

    public static JsonNode Json(string path) => JsonNode.Parse(Text(path))!;

    /// <summary>JSON compacted the way the tests compare it.</summary>
    public static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString();
}
