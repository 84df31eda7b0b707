using System.Text.Json.Nodes;
using Portal.Core.Logs;

namespace Portal.Logs.Elasticsearch;

/// <summary>
/// Where the scopes' logs live and which environment a hit belongs to: the index pattern with each environment's name
/// put in, and either the namespace field (when <see cref="ElasticsearchOptions.EnvironmentFilterField"/> is set) or the
/// hit's index name matched against those patterns.
/// </summary>
internal sealed class ElasticsearchIndices(string indexPattern, string? environmentField)
{
    /// <summary>The comma-separated targets for a request path, e.g. <c>logs-prod-*,logs-dev-*</c>, each escaped for a URL path.</summary>
    public string For(IReadOnlyList<LogScope> scopes) =>
        string.Join(",", PatternsFor(scopes).SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .Select(p => Uri.EscapeDataString(p).Replace("%2A", "*", StringComparison.Ordinal)));

    /// <summary>The filter that keeps hits to the scopes' namespaces, when the environment is a field; otherwise null.</summary>
    public JsonObject? ScopeFilter(IReadOnlyList<LogScope> scopes) => environmentField is null
        ? null
        : new JsonObject
        {
            ["terms"] = new JsonObject
            {
                [environmentField] = new JsonArray([.. scopes.Select(s => s.Namespace).Distinct(StringComparer.Ordinal).Select(n => (JsonNode)n)]),
            },
        };

    /// <summary>The environment of a hit: by its namespace field, else by its index name, else the first scope.</summary>
    public string EnvironmentOf(string index, JsonObject source, IReadOnlyList<LogScope> scopes)
    {
        if (environmentField is not null)
        {
            var ns = JsonPaths.Find(source, environmentField) ?? (environmentField.EndsWith(".keyword", StringComparison.Ordinal)
                ? JsonPaths.Find(source, environmentField[..^".keyword".Length])
                : null);
            var value = ns is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            var scope = scopes.FirstOrDefault(sc => string.Equals(sc.Namespace, value, StringComparison.Ordinal));
            if (scope is not null)
            {
                return scope.Environment;
            }
        }

        // A data stream's documents live in backing indices named .ds-<stream>-<date>-<generation>.
        var name = index.StartsWith(".ds-", StringComparison.Ordinal) ? index[4..] : index;
        foreach (var scope in scopes)
        {
            if (PatternsFor([scope]).SelectMany(p => p.Split(',', StringSplitOptions.TrimEntries)).Any(p => Matches(p, name) || Matches(p, index)))
            {
                return scope.Environment;
            }
        }

        return scopes[0].Environment;
    }

    private IEnumerable<string> PatternsFor(IReadOnlyList<LogScope> scopes) =>
        scopes.Select(s => indexPattern.Replace(ElasticsearchOptions.EnvironmentPlaceholder, s.Environment, StringComparison.Ordinal));

    /// <summary>Whether <paramref name="name"/> matches an index pattern whose only wildcard is <c>*</c>.</summary>
    internal static bool Matches(string pattern, string name)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return string.Equals(pattern, name, StringComparison.Ordinal);
        }

        if (!name.StartsWith(parts[0], StringComparison.Ordinal) || !name.EndsWith(parts[^1], StringComparison.Ordinal)
            || name.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }

        var at = parts[0].Length;
        var end = name.Length - parts[^1].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = name.IndexOf(parts[i], at, end - at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            at = found + parts[i].Length;
        }

        return true;
    }
}

/// <summary>Reads a field from a document whose keys may be nested objects, dotted keys, or a mix of both.</summary>
internal static class JsonPaths
{
    public static JsonNode? Find(JsonObject document, string path)
    {
        if (document.TryGetPropertyValue(path, out var direct))
        {
            return direct;
        }

        // Try each prefix as a key: "kubernetes.namespace_name" may be {"kubernetes":{"namespace_name":...}} or
        // {"kubernetes.namespace_name":...} or {"kubernetes":{"namespace_name":...}} under a dotted parent.
        for (var dot = path.IndexOf('.', StringComparison.Ordinal); dot > 0; dot = path.IndexOf('.', dot + 1))
        {
            if (document.TryGetPropertyValue(path[..dot], out var child) && child is JsonObject inner && Find(inner, path[(dot + 1)..]) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
