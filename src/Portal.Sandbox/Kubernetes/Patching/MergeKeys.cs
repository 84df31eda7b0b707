using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Patching;

/// <summary>
/// Which lists merge element by element, and on which key: the <c>patchMergeKey</c>/<c>listMapKeys</c> tags of the
/// Kubernetes types the sandbox serves. Other lists are atomic (replaced whole).
/// </summary>
internal static class MergeKeys
{
    public static string? For(string field, JsonArray? sample) => field switch
    {
        "containers" or "initContainers" or "ephemeralContainers" or "env" or "volumes" or "imagePullSecrets" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "conditions" => "type",
        "ownerReferences" => "uid",
        "hostAliases" => "ip",
        "ports" => sample?.OfType<JsonObject>().Any(p => p.ContainsKey("containerPort")) == true ? "containerPort" : "port",
        _ => null,
    };

    /// <summary>Lists of scalars that merge as sets rather than being replaced.</summary>
    public static bool IsSet(string field) => field is "finalizers";

    public static JsonObject? Find(JsonArray list, string key, JsonNode? value) =>
        list.OfType<JsonObject>().FirstOrDefault(e => JsonNode.DeepEquals(e[key], value));

    /// <summary>An element of a keyed list, in FieldsV1 form: <c>k:{"name":"web"}</c>.</summary>
    public static string ElementKey(string key, JsonNode? value) =>
        "k:" + new JsonObject { [key] = value?.DeepClone() }.ToJsonString();

    public static (string Key, JsonNode? Value) ParseElementKey(string segment)
    {
        var o = JsonNode.Parse(segment[2..])!.AsObject();
        var first = o.First();
        return (first.Key, first.Value);
    }

    public static string? ElementKeyOf(JsonObject element, string field, JsonArray list) =>
        For(field, list) is { } key && element.ContainsKey(key) ? ElementKey(key, element[key]) : null;

    internal static JsonNode? Resolve(JsonNode? root, IEnumerable<string> path)
    {
        var node = root;
        string? field = null;
        foreach (var segment in path)
        {
            if (segment.StartsWith("f:", StringComparison.Ordinal))
            {
                field = segment[2..];
                node = node is JsonObject o && o.TryGetPropertyValue(field, out var next) ? next : null;
            }
            else if (segment.StartsWith("k:", StringComparison.Ordinal) && node is JsonArray list)
            {
                var (key, value) = ParseElementKey(segment);
                node = Find(list, key, value);
            }
            else
            {
                return null;
            }

            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    internal static void Remove(JsonNode root, IReadOnlyList<string> path)
    {
        var parent = Resolve(root, path.Take(path.Count - 1));
        var last = path[^1];
        if (last.StartsWith("f:", StringComparison.Ordinal) && parent is JsonObject o)
        {
            o.Remove(last[2..]);
        }
        else if (last.StartsWith("k:", StringComparison.Ordinal) && parent is JsonArray list)
        {
            var (key, value) = ParseElementKey(last);
            if (Find(list, key, value) is { } element)
            {
                list.Remove(element);
            }
        }
    }

    internal static string Describe(IEnumerable<string> path) =>
        string.Concat(path.Select(s => s.StartsWith("f:", StringComparison.Ordinal) ? "." + s[2..] : "[" + s[2..].Trim('{', '}').Replace("\"", "", StringComparison.Ordinal).Replace(':', '=') + "]"));
}
