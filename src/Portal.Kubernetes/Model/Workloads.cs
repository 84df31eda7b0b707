using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Kubernetes.Model;

public sealed class PodTemplateSpec
{
    public ObjectMeta? Metadata { get; set; }

    public PodSpec? Spec { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class Deployment : KubeObject
{
    public DeploymentSpec? Spec { get; set; }

    public DeploymentStatus? Status { get; set; }
}

public sealed class DeploymentSpec
{
    public int? Replicas { get; set; }

    public LabelSelectorSpec? Selector { get; set; }

    public PodTemplateSpec? Template { get; set; }

    public bool? Paused { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class DeploymentStatus
{
    public long? ObservedGeneration { get; set; }

    public int? Replicas { get; set; }

    public int? UpdatedReplicas { get; set; }

    public int? ReadyReplicas { get; set; }

    public int? AvailableReplicas { get; set; }

    public int? UnavailableReplicas { get; set; }

    public List<Condition>? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ReplicaSet : KubeObject
{
    public ReplicaSetSpec? Spec { get; set; }

    public ReplicaSetStatus? Status { get; set; }
}

public sealed class ReplicaSetSpec
{
    public int? Replicas { get; set; }

    public LabelSelectorSpec? Selector { get; set; }

    public PodTemplateSpec? Template { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ReplicaSetStatus
{
    public int? Replicas { get; set; }

    public int? ReadyReplicas { get; set; }

    public int? AvailableReplicas { get; set; }

    /// <summary>ReplicaFailure, when the controller cannot create (or delete) pods: a quota, a limit range.</summary>
    public List<Condition>? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The <c>scale</c> subresource (autoscaling/v1 Scale).</summary>
public sealed class Scale : KubeObject
{
    public ScaleSpec? Spec { get; set; }

    public ScaleStatus? Status { get; set; }
}

public sealed class ScaleSpec
{
    public int? Replicas { get; set; }
}

public sealed class ScaleStatus
{
    public int? Replicas { get; set; }

    public string? Selector { get; set; }
}
