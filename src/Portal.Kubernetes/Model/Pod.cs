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

    public List<Container> Containers { get; set; } = [];

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class Container
{
    public string? Name { get; set; }

    public string? Image { get; set; }

    public ResourceRequirements? Resources { get; set; }

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

    public JsonElement? State { get; set; }

    public JsonElement? LastState { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
