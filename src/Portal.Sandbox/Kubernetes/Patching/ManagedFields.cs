using System.Net;
using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Patching;

/// <summary>
/// Field ownership, as server-side apply keeps it in <c>metadata.managedFields</c> (FieldsV1): who set which field
/// with which operation. Apply merges the applier's fields, removes the ones it stopped applying (unless someone
/// else owns them), and refuses to change a field another manager owns unless forced; ordinary writes take over
/// the fields they change.
/// </summary>
public static class ManagedFields
{
    private const char Separator = '\u001f';

    private static readonly HashSet<string> UntrackedMetadata = ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"];

    private sealed record Entry(string Manager, string Operation, string ApiVersion, string Time, string? Subresource, HashSet<string> Fields);

    /// <summary>Server-side apply of <paramref name="config"/> by <paramref name="manager"/> onto <paramref name="live"/> (null: create).</summary>
    public static JsonObject Apply(ResourceType type, JsonObject? live, JsonObject config, string manager, bool force, DateTimeOffset now)
    {
        var applied = FieldsOf(config);
        var entries = live is null ? [] : Read(live);
        var result = live is null ? [] : (JsonObject)live.DeepClone();

        var conflicts = new List<(Entry Owner, string Path)>();
        foreach (var entry in entries.Where(e => !(e.Manager == manager && e.Operation == "Apply")))
        {
            foreach (var path in entry.Fields.Where(p => applied.Contains(p) && !IsElement(p)))
            {
                if (!JsonNode.DeepEquals(MergeKeys.Resolve(live, Split(path)), MergeKeys.Resolve(config, Split(path))))
                {
                    conflicts.Add((entry, path));
                }
            }
        }

        if (conflicts.Count > 0 && !force)
        {
            throw Conflict(type, J.Name(config), conflicts);
        }

        foreach (var (owner, path) in conflicts)
        {
            owner.Fields.Remove(path);
        }

        var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Apply");
        if (mine is not null)
        {
            // Parents first: a list element is found by its key before that key could go. What another manager owns
            // stays, with everything above it, and so does the key of an element that stays.
            var others = entries.Where(e => e != mine).SelectMany(e => e.Fields).ToHashSet(StringComparer.Ordinal);
            foreach (var path in mine.Fields.Where(p => !applied.Contains(p) && !others.Any(o => o == p || o.StartsWith(p + Separator, StringComparison.Ordinal)) && !IsElementKey(p)).OrderBy(p => p.Length))
            {
                MergeKeys.Remove(result, Split(path));
            }

            entries.Remove(mine);
        }

        MergeApplied(result, config);
        entries.Add(new Entry(manager, "Apply", type.GroupVersion, J.Time(now), null, applied));
        Write(result, entries);
        return result;
    }

    /// <summary>Records that <paramref name="manager"/> wrote <paramref name="updated"/> (create, replace or patch).</summary>
    public static void TrackUpdate(ResourceType type, JsonObject? old, JsonObject updated, string manager, DateTimeOffset now, string? subresource = null)
    {
        var entries = Read(old ?? updated);
        var newFields = FieldsOf(updated);
        var oldFields = old is null ? [] : FieldsOf(old);
        var changed = newFields.Where(p => IsElement(p) ? !oldFields.Contains(p) : !JsonNode.DeepEquals(MergeKeys.Resolve(old, Split(p)), MergeKeys.Resolve(updated, Split(p)))).ToHashSet();
        oldFields.ExceptWith(newFields);
        foreach (var entry in entries)
        {
            entry.Fields.ExceptWith(changed);
            entry.Fields.ExceptWith(oldFields);
        }

        if (changed.Count > 0)
        {
            var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Update");
            if (mine is null)
            {
                entries.Add(new Entry(manager, "Update", type.GroupVersion, J.Time(now), subresource, changed));
            }
            else
            {
                mine.Fields.UnionWith(changed);
                entries[entries.IndexOf(mine)] = mine with { Time = J.Time(now) };
            }
        }

        Write(updated, entries);
    }

    /// <summary>The field paths a configuration sets (status and server-owned metadata excluded).</summary>
    internal static HashSet<string> FieldsOf(JsonObject config)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in config)
        {
            if (key is "apiVersion" or "kind" or "status")
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject meta)
            {
                foreach (var (mk, mv) in meta)
                {
                    if (!UntrackedMetadata.Contains(mk))
                    {
                        Collect(mk, mv, ["f:metadata", "f:" + mk], set);
                    }
                }

                continue;
            }

            Collect(key, value, ["f:" + key], set);
        }

        return set;
    }

    private static void Collect(string field, JsonNode? value, List<string> path, HashSet<string> set)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 } o:
                foreach (var (k, v) in o)
                {
                    Collect(k, v, [.. path, "f:" + k], set);
                }

                break;
            case JsonArray a when MergeKeys.For(field, a) is { } key && a.All(e => e is JsonObject eo && eo.ContainsKey(key)):
                foreach (var element in a.OfType<JsonObject>())
                {
                    List<string> at = [.. path, MergeKeys.ElementKey(key, element[key])];
                    set.Add(Join(at));
                    foreach (var (k, v) in element)
                    {
                        Collect(k, v, [.. at, "f:" + k], set);
                    }
                }

                break;
            default:
                set.Add(Join(path));
                break;
        }
    }

    private static void MergeApplied(JsonObject target, JsonObject config)
    {
        foreach (var (key, value) in config)
        {
            if (key == "status")
            {
                continue;
            }

            if (value is JsonObject c && target[key] is JsonObject t)
            {
                MergeApplied(t, c);
            }
            else if (value is JsonArray list && target[key] is JsonArray existing && MergeKeys.For(key, list) is { } mergeKey)
            {
                foreach (var element in list.OfType<JsonObject>())
                {
                    if (MergeKeys.Find(existing, mergeKey, element[mergeKey]) is { } match)
                    {
                        MergeApplied(match, element);
                    }
                    else
                    {
                        existing.Add(element.DeepClone());
                    }
                }
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private static List<Entry> Read(JsonObject obj)
    {
        var entries = new List<Entry>();
        foreach (var e in J.Objects(J.At(obj, "metadata", "managedFields")))
        {
            var fields = new HashSet<string>(StringComparer.Ordinal);
            if (e["fieldsV1"] is JsonObject fv)
            {
                FromFieldsV1(fv, [], fields);
            }

            entries.Add(new Entry(J.Str(e, "manager") ?? "", J.Str(e, "operation") ?? "Update", J.Str(e, "apiVersion") ?? "", J.Str(e, "time") ?? "", J.Str(e, "subresource"), fields));
        }

        return entries;
    }

    private static void Write(JsonObject obj, List<Entry> entries)
    {
        var list = new JsonArray();
        foreach (var e in entries.Where(e => e.Fields.Count > 0))
        {
            var entry = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
                ["time"] = e.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = ToFieldsV1(e.Fields),
            };
            if (e.Subresource is not null)
            {
                entry["subresource"] = e.Subresource;
            }

            list.Add(entry);
        }

        J.Meta(obj)["managedFields"] = list;
    }

    private static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        foreach (var path in paths.OrderBy(p => p, StringComparer.Ordinal))
        {
            var node = root;
            foreach (var segment in Split(path))
            {
                node = J.Obj(node, segment);
            }

            if (IsElement(path))
            {
                node["."] = new JsonObject();
            }
        }

        return root;
    }

    private static void FromFieldsV1(JsonObject node, List<string> path, HashSet<string> into)
    {
        foreach (var (key, child) in node)
        {
            if (key == ".")
            {
                into.Add(Join(path));
                continue;
            }

            List<string> at = [.. path, key];
            if (child is JsonObject { Count: > 0 } c)
            {
                FromFieldsV1(c, at, into);
            }
            else
            {
                into.Add(Join(at));
            }
        }
    }

    private static StatusError Conflict(ResourceType type, string name, List<(Entry Owner, string Path)> conflicts)
    {
        static string Who(Entry e) => e.Operation == "Update" ? $"\"{e.Manager}\" using {e.ApiVersion}" : $"\"{e.Manager}\"";
        var message = conflicts.Count == 1
            ? $"Apply failed with 1 conflict: conflict with {Who(conflicts[0].Owner)}: {MergeKeys.Describe(Split(conflicts[0].Path))}"
            : $"Apply failed with {conflicts.Count} conflicts: " + string.Join("\n", conflicts.GroupBy(c => c.Owner).Select(g =>
                $"conflicts with {Who(g.Key)}:\n" + string.Join("\n", g.Select(c => "- " + MergeKeys.Describe(Split(c.Path))))));
        var details = new JsonObject
        {
            ["name"] = name,
            ["kind"] = type.Plural,
            ["causes"] = new JsonArray([.. conflicts.Select(c => (JsonNode)new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with {Who(c.Owner)}",
                ["field"] = MergeKeys.Describe(Split(c.Path)),
            })]),
        };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        return new StatusError(HttpStatusCode.Conflict, "Conflict", message, details);
    }

    /// <summary>The key field of a keyed list element (<c>k:{"name":"web"}</c> then <c>f:name</c>).</summary>
    private static bool IsElementKey(string path)
    {
        var segments = Split(path);
        return segments.Length >= 2 && segments[^1].StartsWith("f:", StringComparison.Ordinal) && segments[^2].StartsWith("k:", StringComparison.Ordinal)
            && MergeKeys.ParseElementKey(segments[^2]).Key == segments[^1][2..];
    }

    private static bool IsElement(string path) => path[(path.LastIndexOf(Separator) + 1)..].StartsWith("k:", StringComparison.Ordinal);

    private static string Join(IEnumerable<string> path) => string.Join(Separator, path);

    private static string[] Split(string path) => path.Split(Separator);
}
