using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Patching;

/// <summary>
/// The patch formats the API server takes besides apply: JSON merge patch (RFC 7386) and strategic merge patch
/// (what <c>kubectl apply</c>, <c>edit</c> and <c>label</c> send), with its <c>$patch</c>,
/// <c>$setElementOrder</c>, <c>$deleteFromPrimitiveList</c> and <c>$retainKeys</c> directives.
/// </summary>
public static class Patches
{
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string ApplyPatch = "application/apply-patch+yaml";
    public const string JsonPatch = "application/json-patch+json";

    public static JsonObject Merge(JsonObject target, JsonObject patch)
    {
        var result = (JsonObject)target.DeepClone();
        MergeInto(result, patch);
        return result;
    }

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject p && target[key] is JsonObject t)
            {
                MergeInto(t, p);
            }
            else if (value is JsonObject fresh)
            {
                // RFC 7386: merged into an empty object, so the patch's nulls are dropped rather than stored.
                var merged = new JsonObject();
                MergeInto(merged, fresh);
                target[key] = merged;
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    public static JsonObject Strategic(JsonObject target, JsonObject patch)
    {
        var result = (JsonObject)target.DeepClone();
        return StrategicObject(result, patch) as JsonObject ?? [];
    }

    private static JsonNode? StrategicObject(JsonObject target, JsonObject patch)
    {
        switch (J.Str(patch, "$patch"))
        {
            case "replace":
                var replaced = (JsonObject)patch.DeepClone();
                replaced.Remove("$patch");
                return replaced;
            case "delete":
                return null;
        }

        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.GetValue<string>()).ToHashSet();
            foreach (var key in target.Select(kv => kv.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(key);
            }
        }

        var orders = new List<(string Field, JsonArray Order)>();
        foreach (var (key, value) in patch)
        {
            if (key is "$patch" or "$retainKeys")
            {
                continue;
            }

            if (key.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                orders.Add((key["$setElementOrder/".Length..], (JsonArray)value!));
                continue;
            }

            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                if (target[key["$deleteFromPrimitiveList/".Length..]] is JsonArray primitives && value is JsonArray remove)
                {
                    foreach (var item in primitives.Where(p => remove.Any(r => JsonNode.DeepEquals(p, r))).ToList())
                    {
                        primitives.Remove(item);
                    }
                }

                continue;
            }

            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject p && target[key] is JsonObject t)
            {
                var merged = StrategicObject(t, p);
                if (merged is null)
                {
                    target.Remove(key);
                }
                else if (!ReferenceEquals(merged, t))
                {
                    target[key] = merged;
                }
            }
            else if (value is JsonObject fresh)
            {
                // A map the target lacks is merged into an empty one: its nulls and directives are not stored.
                var merged = StrategicObject([], fresh);
                if (merged is null)
                {
                    target.Remove(key);
                }
                else
                {
                    target[key] = merged;
                }
            }
            else if (value is JsonArray list)
            {
                target[key] = StrategicList(key, target[key] as JsonArray, list);
            }
            else
            {
                target[key] = StripDirectives(value.DeepClone());
            }
        }

        foreach (var (field, order) in orders)
        {
            if (target[field] is JsonArray list)
            {
                target[field] = Reorder(field, list, order);
            }
        }

        return target;
    }

    private static JsonArray StrategicList(string field, JsonArray? target, JsonArray patch)
    {
        if (patch.OfType<JsonObject>().Any(e => J.Str(e, "$patch") == "replace"))
        {
            return new JsonArray([.. patch.OfType<JsonObject>().Where(e => J.Str(e, "$patch") != "replace").Select(e => StripDirectives(e.DeepClone()))]);
        }

        if (MergeKeys.IsSet(field))
        {
            var set = target is null ? [] : (JsonArray)target.DeepClone();
            foreach (var item in patch.Where(item => !set.Any(s => JsonNode.DeepEquals(s, item))))
            {
                set.Add(item?.DeepClone());
            }

            return set;
        }

        var mergeKey = MergeKeys.For(field, patch) ?? (target is null ? null : MergeKeys.For(field, target));
        if (mergeKey is null || target is null)
        {
            return new JsonArray([.. patch.Where(e => !(e is JsonObject o && J.Str(o, "$patch") == "delete")).Select(e => StripDirectives(e?.DeepClone()))]);
        }

        var result = (JsonArray)target.DeepClone();
        foreach (var element in patch.OfType<JsonObject>())
        {
            var existing = MergeKeys.Find(result, mergeKey, element[mergeKey]);
            if (J.Str(element, "$patch") == "delete")
            {
                if (existing is not null)
                {
                    result.Remove(existing);
                }
            }
            else if (existing is not null)
            {
                var index = result.IndexOf(existing);
                var merged = StrategicObject((JsonObject)existing.DeepClone(), element);
                result[index] = merged;
            }
            else
            {
                result.Add(StripDirectives(element.DeepClone()));
            }
        }

        return result;
    }

    private static JsonArray Reorder(string field, JsonArray list, JsonArray order)
    {
        var key = MergeKeys.For(field, list);
        var items = list.Select(e => e?.DeepClone()).ToList();
        var sorted = new List<JsonNode?>();
        foreach (var o in order)
        {
            var match = items.FirstOrDefault(e => key is not null && e is JsonObject eo && o is JsonObject oo ? JsonNode.DeepEquals(eo[key], oo[key]) : JsonNode.DeepEquals(e, o));
            if (match is not null || items.Contains(null))
            {
                sorted.Add(match);
                items.Remove(match);
            }
        }

        sorted.AddRange(items);
        return new JsonArray([.. sorted]);
    }

    private static JsonNode? StripDirectives(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            foreach (var key in o.Select(kv => kv.Key).Where(k => k.StartsWith('$')).ToList())
            {
                o.Remove(key);
            }

            foreach (var (_, child) in o.ToList())
            {
                StripDirectives(child);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a)
            {
                StripDirectives(child);
            }
        }

        return node;
    }
}

/// <summary>JSON Patch (RFC 6902): add, remove, replace, move, copy and test, applied all or nothing.</summary>
public static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonArray operations)
    {
        JsonNode result = target.DeepClone();
        foreach (var op in operations.OfType<JsonObject>())
        {
            var path = J.Str(op, "path") ?? throw StatusError.BadRequest("JSON patch operation is missing its path");
            switch (J.Str(op, "op"))
            {
                case "add":
                    result = Add(result, path, op["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(result, path);
                    break;
                case "replace":
                    Remove(result, path);
                    result = Add(result, path, op["value"]?.DeepClone());
                    break;
                case "move":
                    var moved = Get(result, J.Str(op, "from") ?? "")?.DeepClone();
                    Remove(result, J.Str(op, "from") ?? "");
                    result = Add(result, path, moved);
                    break;
                case "copy":
                    result = Add(result, path, Get(result, J.Str(op, "from") ?? "")?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(result, path), op["value"]))
                    {
                        throw new StatusError(System.Net.HttpStatusCode.UnprocessableEntity, "Invalid", $"the server rejected our request due to an error in our request: testing value at {path} failed");
                    }

                    break;
                default:
                    throw StatusError.BadRequest($"Unexpected kind: {J.Str(op, "op")}");
            }
        }

        return result as JsonObject ?? throw StatusError.BadRequest("the JSON patch did not leave an object");
    }

    private static string[] Tokens(string path) =>
        path.Length == 0 ? [] : [.. path.TrimStart('/').Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    private static JsonNode? Get(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject o => o[token],
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    private static JsonNode Add(JsonNode root, string path, JsonNode? value)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            return value ?? throw StatusError.BadRequest("cannot replace the whole object with null");
        }

        var parent = Get(root, "/" + string.Join('/', tokens[..^1].Select(t => t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw StatusError.BadRequest($"add operation does not apply: doc is missing path: \"{path}\"");
        }

        return root;
    }

    private static void Remove(JsonNode root, string path)
    {
        var tokens = Tokens(path);
        var parent = tokens.Length == 0 ? null : Get(root, "/" + string.Join('/', tokens[..^1].Select(t => t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))));
        var last = tokens.Length == 0 ? "" : tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw StatusError.BadRequest($"remove operation does not apply: doc is missing path: \"{path}\"");
        }
    }
}
