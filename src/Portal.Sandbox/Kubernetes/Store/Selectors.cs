using System.Text.Json.Nodes;

namespace Portal.Sandbox.Kubernetes.Store;

/// <summary>A label selector: the string form of <c>?labelSelector=</c> or a <c>matchLabels</c>/<c>matchExpressions</c> object.</summary>
public sealed class LabelSelector
{
    private readonly List<(string Key, string Op, string[] Values)> _requirements;

    private LabelSelector(List<(string, string, string[])> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    /// <summary>Parses <c>app=web,tier!=db,env in (dev,test),!legacy</c>. Throws <see cref="StatusError"/> 400 on nonsense.</summary>
    public static LabelSelector Parse(string? text)
    {
        var requirements = new List<(string, string, string[])>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return new(requirements);
        }

        foreach (var raw in SplitTopLevel(text))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            var setMatch = System.Text.RegularExpressions.Regex.Match(part, @"^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$");
            if (setMatch.Success)
            {
                var values = setMatch.Groups[3].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                requirements.Add((setMatch.Groups[1].Value, setMatch.Groups[2].Value, values));
            }
            else if (part.Contains("!=", StringComparison.Ordinal))
            {
                var kv = part.Split("!=", 2);
                requirements.Add((Key(kv[0]), "!=", [kv[1].Trim()]));
            }
            else if (part.Contains('=', StringComparison.Ordinal))
            {
                var kv = part.Split(part.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
                requirements.Add((Key(kv[0]), "=", [kv[1].Trim()]));
            }
            else if (part.StartsWith('!'))
            {
                requirements.Add((Key(part[1..]), "!", []));
            }
            else
            {
                requirements.Add((Key(part), "exists", []));
            }
        }

        return new(requirements);

        static string Key(string k)
        {
            k = k.Trim();
            if (k.Length == 0 || !System.Text.RegularExpressions.Regex.IsMatch(k, @"^[\w./-]+$"))
            {
                throw StatusError.BadRequest($"unable to parse requirement: invalid label key \"{k}\"");
            }

            return k;
        }
    }

    /// <summary>A <c>spec.selector</c> object. Null or empty selects nothing, as for workload selectors.</summary>
    public static LabelSelector FromObject(JsonNode? selector)
    {
        var requirements = new List<(string, string, string[])>();
        if (selector is not JsonObject o)
        {
            return new([("", "nothing", [])]);
        }

        foreach (var (k, v) in J.StringMap(o["matchLabels"]))
        {
            requirements.Add((k, "=", [v]));
        }

        foreach (var e in J.Objects(o["matchExpressions"]))
        {
            var values = J.At(e, "values") is JsonArray a ? a.Select(x => x?.GetValue<string>() ?? "").ToArray() : [];
            var op = J.Str(e, "operator") switch
            {
                "In" => "in",
                "NotIn" => "notin",
                "Exists" => "exists",
                "DoesNotExist" => "!",
                var other => throw StatusError.BadRequest($"\"{other}\" is not a valid label selector operator"),
            };
            requirements.Add((J.Str(e, "key") ?? "", op, values));
        }

        return requirements.Count == 0 ? new([("", "nothing", [])]) : new(requirements);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, op, values) in _requirements)
        {
            var has = labels.TryGetValue(key, out var value);
            var ok = op switch
            {
                "=" => has && value == values[0],
                "!=" => !has || value != values[0],
                "in" => has && values.Contains(value),
                "notin" => !has || !values.Contains(value),
                "exists" => has,
                "!" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }
}

/// <summary>A field selector: <c>metadata.name=x,status.phase!=Running</c>, on the fields the API server indexes.</summary>
public sealed class FieldSelector
{
    private static readonly Dictionary<string, string[]> Supported = new(StringComparer.Ordinal)
    {
        ["pods"] = ["spec.nodeName", "status.phase", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.podIP"],
        ["events"] = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
        ["namespaces"] = ["status.phase"],
        ["nodes"] = ["spec.unschedulable"],
        ["secrets"] = ["type"],
        ["replicasets"] = ["status.replicas"],
    };

    private readonly List<(string[] Path, bool Equal, string Value)> _terms;

    private FieldSelector(List<(string[], bool, string)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public static FieldSelector Parse(string? text, ResourceType type)
    {
        var terms = new List<(string[], bool, string)>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return new(terms);
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var notEqual = part.Contains("!=", StringComparison.Ordinal);
            var kv = part.Split(notEqual ? "!=" : part.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            if (kv.Length != 2)
            {
                throw StatusError.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
            }

            var field = kv[0].Trim();
            if (field is not ("metadata.name" or "metadata.namespace")
                && !(Supported.TryGetValue(type.Plural, out var fields) && fields.Contains(field)))
            {
                throw StatusError.BadRequest($"field label not supported: {field}");
            }

            terms.Add((field.Split('.'), !notEqual, kv[1].Trim()));
        }

        return new(terms);
    }

    public bool Matches(JsonObject o)
    {
        foreach (var (path, equal, value) in _terms)
        {
            var actual = J.At(o, path)?.ToString() ?? "";
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
