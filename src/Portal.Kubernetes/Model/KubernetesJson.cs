using System.Text.Json.Serialization;

namespace Portal.Kubernetes.Model;

/// <summary>Source-generated System.Text.Json metadata for the objects Portal reads (camelCase, as the API is).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(KubernetesTimeConverter)])]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(KubeList<Pod>))]
[JsonSerializable(typeof(ApiStatus))]
public sealed partial class KubernetesJson : JsonSerializerContext;
