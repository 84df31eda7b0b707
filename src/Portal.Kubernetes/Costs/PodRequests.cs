using System.Text.Json;
using Portal.Core.Resources;
using Portal.Kubernetes.Model;

namespace Portal.Kubernetes.Costs;

/// <summary>
/// What a pod requests as the scheduler counts it (Kubernetes' <c>resource.PodRequests</c>), because that is what the
/// pod holds on its node: the app containers' sum, or the most any init step needs if that is more, plus the pod's
/// overhead. Sidecars (init containers with <c>restartPolicy: Always</c>) run beside the app containers, so they add
/// to the sum and to every init step that starts after them.
/// </summary>
public static class PodRequests
{
    public static (decimal CpuCores, decimal MemoryBytes) Of(PodSpec spec) => (Of(spec, "cpu"), Of(spec, "memory"));

    private static decimal Of(PodSpec spec, string resource)
    {
        var total = spec.Containers.Sum(c => Quantity.TryParse(c.Resources?.Requests?.GetValueOrDefault(resource)) ?? 0);
        decimal sidecars = 0, initPeak = 0;
        foreach (var init in InitContainers(spec))
        {
            var request = Request(init, resource);
            if (IsSidecar(init))
            {
                total += request;
                sidecars += request;
                initPeak = Math.Max(initPeak, sidecars);
            }
            else
            {
                initPeak = Math.Max(initPeak, request + sidecars);
            }
        }

        return Math.Max(total, initPeak) + Overhead(spec, resource);
    }

    private static IEnumerable<JsonElement> InitContainers(PodSpec spec) =>
        spec.Extra?.TryGetValue("initContainers", out var list) == true && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [];

    private static bool IsSidecar(JsonElement container) =>
        container.TryGetProperty("restartPolicy", out var policy) && policy.ValueKind == JsonValueKind.String && policy.GetString() == "Always";

    private static decimal Request(JsonElement container, string resource) =>
        container.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Object
        && resources.TryGetProperty("requests", out var requests) && requests.ValueKind == JsonValueKind.Object
        && requests.TryGetProperty(resource, out var value) && value.ValueKind == JsonValueKind.String
            ? Quantity.TryParse(value.GetString()) ?? 0
            : 0;

    /// <summary>The RuntimeClass's fixed cost per pod (<c>spec.overhead</c>), which the scheduler adds to the requests.</summary>
    private static decimal Overhead(PodSpec spec, string resource) =>
        spec.Extra?.TryGetValue("overhead", out var overhead) == true && overhead.ValueKind == JsonValueKind.Object
        && overhead.TryGetProperty(resource, out var value) && value.ValueKind == JsonValueKind.String
            ? Quantity.TryParse(value.GetString()) ?? 0
            : 0;
}
