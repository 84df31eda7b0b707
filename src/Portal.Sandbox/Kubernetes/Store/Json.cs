using System.Globalization;
using System.Text.Json.Nodes;

namespace Portal.Sandbox.Kubernetes.Store;

/// <summary>Small accessors over unstructured objects, the way the API server itself holds them.</summary>
internal static class J
{
    public static JsonObject Meta(JsonObject o) => Obj(o, "metadata");

    public static string Name(JsonObject o) => Str(o, "metadata", "name") ?? "";

    public static string? Namespace(JsonObject o) => Str(o, "metadata", "namespace");

    public static string Uid(JsonObject o) => Str(o, "metadata", "uid") ?? "";

    public static bool IsTerminating(JsonObject o) => Str(o, "metadata", "deletionTimestamp") is not null;

    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var part in path)
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(part, out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string? Str(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Long(JsonNode? node, params string[] path) => At(node, path) switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<double>(out var d) => (long)d,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, CultureInfo.InvariantCulture, out var p) => p,
        _ => null,
    };

    public static bool? Bool(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>The object at <paramref name="path"/>, created (and any missing parent) when absent.</summary>
    public static JsonObject Obj(JsonObject o, params string[] path)
    {
        var current = o;
        foreach (var part in path)
        {
            if (current[part] is not JsonObject next)
            {
                next = [];
                current[part] = next;
            }

            current = next;
        }

        return current;
    }

    public static JsonArray Arr(JsonObject o, string name)
    {
        if (o[name] is not JsonArray a)
        {
            a = [];
            o[name] = a;
        }

        return a;
    }

    public static IEnumerable<JsonObject> Objects(JsonNode? array) =>
        array is JsonArray a ? a.OfType<JsonObject>() : [];

    public static Dictionary<string, string> Labels(JsonObject o) => StringMap(At(o, "metadata", "labels"));

    public static Dictionary<string, string> StringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject o)
        {
            foreach (var (k, v) in o)
            {
                if (v is JsonValue value && value.TryGetValue<string>(out var s))
                {
                    map[k] = s;
                }
            }
        }

        return map;
    }

    public static JsonObject ToJson(IReadOnlyDictionary<string, string> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map)
        {
            o[k] = v;
        }

        return o;
    }

    /// <summary>RFC 3339 with seconds, as the API writes timestamps.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTime(string? s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>Sets a field only when its value differs; says whether anything changed.</summary>
    public static bool Set(JsonObject o, string name, JsonNode? value)
    {
        if (JsonNode.DeepEquals(o[name], value))
        {
            return false;
        }

        o[name] = value;
        return true;
    }
}
