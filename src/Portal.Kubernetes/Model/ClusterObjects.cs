using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Kubernetes.Model;

public sealed class Namespace : KubeObject
{
    public NamespaceStatus? Status { get; set; }
}

public sealed class NamespaceStatus
{
    public string? Phase { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class Node : KubeObject
{
    public NodeSpec? Spec { get; set; }

    public NodeStatus? Status { get; set; }
}

public sealed class NodeSpec
{
    public bool? Unschedulable { get; set; }

    public string? PodCIDR { get; set; }

    public string? ProviderID { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class NodeStatus
{
    public Dictionary<string, string>? Capacity { get; set; }

    public Dictionary<string, string>? Allocatable { get; set; }

    public List<Condition>? Conditions { get; set; }

    public NodeSystemInfo? NodeInfo { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class NodeSystemInfo
{
    public string? KubeletVersion { get; set; }

    public string? OsImage { get; set; }

    public string? Architecture { get; set; }

    public string? ContainerRuntimeVersion { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class Event : KubeObject
{
    public ObjectReference? InvolvedObject { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public string? Type { get; set; }

    public int? Count { get; set; }

    public DateTimeOffset? FirstTimestamp { get; set; }

    public DateTimeOffset? LastTimestamp { get; set; }

    public EventSource? Source { get; set; }
}

public sealed class ObjectReference
{
    public string? Kind { get; set; }

    public string? Namespace { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class EventSource
{
    public string? Component { get; set; }

    public string? Host { get; set; }
}

public sealed class Service : KubeObject
{
    public JsonElement? Spec { get; set; }

    public JsonElement? Status { get; set; }
}

public sealed class Ingress : KubeObject
{
    public JsonElement? Spec { get; set; }

    public JsonElement? Status { get; set; }
}

public sealed class NetworkPolicy : KubeObject
{
    public JsonElement? Spec { get; set; }
}

public sealed class ConfigMap : KubeObject
{
    public Dictionary<string, string>? Data { get; set; }
}

/// <summary>A Secret. Portal shows its name, type and keys, never the values.</summary>
public sealed class Secret : KubeObject
{
    public string? Type { get; set; }

    public Dictionary<string, string>? Data { get; set; }

    [JsonIgnore]
    public IReadOnlyList<string> Keys => Data is null ? [] : [.. Data.Keys.Order(StringComparer.Ordinal)];
}

public sealed class ResourceQuota : KubeObject
{
    public ResourceQuotaSpec? Spec { get; set; }

    public ResourceQuotaStatus? Status { get; set; }
}

public sealed class ResourceQuotaSpec
{
    public Dictionary<string, string>? Hard { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ResourceQuotaStatus
{
    public Dictionary<string, string>? Hard { get; set; }

    public Dictionary<string, string>? Used { get; set; }
}

public sealed class LimitRange : KubeObject
{
    public JsonElement? Spec { get; set; }
}

public sealed class RoleBinding : KubeObject
{
    public JsonElement? RoleRef { get; set; }

    public List<JsonElement>? Subjects { get; set; }
}

/// <summary>metrics.k8s.io PodMetrics: usage per container over a window.</summary>
public sealed class PodMetrics : KubeObject
{
    public DateTimeOffset? Timestamp { get; set; }

    public string? Window { get; set; }

    public List<ContainerMetrics> Containers { get; set; } = [];
}

public sealed class ContainerMetrics
{
    public string? Name { get; set; }

    public Dictionary<string, string>? Usage { get; set; }
}

public sealed class NodeMetrics : KubeObject
{
    public DateTimeOffset? Timestamp { get; set; }

    public string? Window { get; set; }

    public Dictionary<string, string>? Usage { get; set; }
}
