using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Kubernetes.Model;

/// <summary>A status condition (pods, nodes, deployments): Ready, Available, Progressing, …</summary>
public sealed class Condition
{
    public string? Type { get; set; }

    public string? Status { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public DateTimeOffset? LastTransitionTime { get; set; }

    public DateTimeOffset? LastUpdateTime { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>Not an API field: never written back (a server validating fields strictly would refuse it).</summary>
    [JsonIgnore]
    public bool IsTrue => Status == "True";
}

/// <summary>A label selector object: <c>matchLabels</c> and <c>matchExpressions</c>.</summary>
public sealed class LabelSelectorSpec
{
    public Dictionary<string, string>? MatchLabels { get; set; }

    public List<JsonElement>? MatchExpressions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>The query-string form (<c>app=web,tier=api</c>) of the matchLabels part.</summary>
    public string ToQuery() => string.Join(",", (MatchLabels ?? []).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}

/// <summary>One change seen by a watch: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.</summary>
public sealed class WatchEvent<T>
    where T : KubeObject
{
    public string Type { get; set; } = "";

    public T? Object { get; set; }
}

/// <summary>A watch event before its object is typed (ERROR carries a Status, BOOKMARK a bare object).</summary>
public sealed class RawWatchEvent
{
    public string Type { get; set; } = "";

    public JsonElement Object { get; set; }
}
