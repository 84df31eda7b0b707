using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Kubernetes.Model;

namespace Portal.Kubernetes.Costs;

/// <summary>
/// A PersistentVolumeClaim: what was asked for (<see cref="PersistentVolumeClaimSpec"/>) and what was bound. Only cost
/// reads claims so far, so the model lives here; fields it does not model stay in the extension data.
/// </summary>
public sealed class PersistentVolumeClaim : KubeObject
{
    public PersistentVolumeClaimSpec? Spec { get; set; }

    public PersistentVolumeClaimStatus? Status { get; set; }
}

public sealed class PersistentVolumeClaimSpec
{
    public List<string>? AccessModes { get; set; }

    /// <summary>VolumeResourceRequirements in the API: the same requests and limits maps as a container's.</summary>
    public ResourceRequirements? Resources { get; set; }

    public string? VolumeName { get; set; }

    public string? StorageClassName { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class PersistentVolumeClaimStatus
{
    /// <summary>Pending, Bound or Lost.</summary>
    public string? Phase { get; set; }

    public List<string>? AccessModes { get; set; }

    /// <summary>What the bound volume holds (<c>storage</c>), which may be more than was requested.</summary>
    public Dictionary<string, string>? Capacity { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Source-generated System.Text.Json metadata for the objects only cost reads, with the API's conventions.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(KubernetesTimeConverter)])]
[JsonSerializable(typeof(PersistentVolumeClaim))]
[JsonSerializable(typeof(KubeList<PersistentVolumeClaim>))]
public sealed partial class CostJson : JsonSerializerContext;
