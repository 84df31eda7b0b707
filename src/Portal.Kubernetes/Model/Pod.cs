using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Kubernetes.Model;

public sealed class Pod : KubeObject
{
    public PodSpec? Spec { get; set; }

    public PodStatus? Status { get; set; }
}

public sealed class PodSpec
{
    public string? NodeName { get; set; }

    public Dictionary<string, string>? NodeSelector { get; set; }

    public List<Container> Containers { get; set; } = [];

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class Container
{
    public string? Name { get; set; }

    public string? Image { get; set; }

    public ResourceRequirements? Resources { get; set; }

    public List<ContainerPort>? Ports { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ResourceRequirements
{
    public Dictionary<string, string>? Requests { get; set; }

    public Dictionary<string, string>? Limits { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class PodStatus
{
    public string? Phase { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public string? HostIP { get; set; }

    public List<Condition>? Conditions { get; set; }

    public string? PodIP { get; set; }

    public DateTimeOffset? StartTime { get; set; }

    public List<ContainerStatus>? ContainerStatuses { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ContainerStatus
{
    public string? Name { get; set; }

    public bool Ready { get; set; }

    public int RestartCount { get; set; }

    public string? Image { get; set; }

    public bool? Started { get; set; }

    public string? ContainerID { get; set; }

    public ContainerState? State { get; set; }

    public ContainerState? LastState { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ContainerPort
{
    public string? Name { get; set; }

    [JsonPropertyName("containerPort")]
    public int Number { get; set; }

    public string? Protocol { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Exactly one of waiting, running or terminated is set (none, for a container not yet created).</summary>
public sealed class ContainerState
{
    public StateWaiting? Waiting { get; set; }

    public StateRunning? Running { get; set; }

    public StateTerminated? Terminated { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class StateWaiting
{
    public string? Reason { get; set; }

    public string? Message { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class StateRunning
{
    public DateTimeOffset? StartedAt { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class StateTerminated
{
    public int ExitCode { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
