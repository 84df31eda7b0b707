using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Kubernetes.Provisioning;

namespace Portal.Kubernetes.Deployments;

/// <summary>
/// An object as a diff should show it: without what the server keeps for itself (status, managed fields, versions,
/// the deployment controller's revision), keys sorted as <c>kubectl get -o yaml</c> prints them, so two texts are
/// equal exactly when the objects are.
/// </summary>
internal static class ComparableYaml
{
    private static readonly string[] ServerMetadata = ["managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink"];

    private static readonly string[] ServerAnnotations = ["deployment.kubernetes.io/revision", "kubectl.kubernetes.io/last-applied-configuration"];

    public static string From(JsonElement obj) => From(JsonNode.Parse(obj.GetRawText()));

    public static string From(JsonNode? obj)
    {
        if (obj is not JsonObject o)
        {
            return "";
        }

        var copy = (JsonObject)o.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var field in ServerMetadata)
            {
                metadata.Remove(field);
            }

            if (metadata["annotations"] is JsonObject annotations)
            {
                foreach (var annotation in ServerAnnotations)
                {
                    annotations.Remove(annotation);
                }

                if (annotations.Count == 0)
                {
                    metadata.Remove("annotations");
                }
            }
        }

        return YamlText.From(Sorted(copy)!);
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, Sorted(kv.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
