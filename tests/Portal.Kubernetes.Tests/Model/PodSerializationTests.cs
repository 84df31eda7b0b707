using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Kubernetes.Model;

namespace Portal.Kubernetes.Tests.Model;

public class PodSerializationTests
{
    private static string Reference(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", file));

    [Theory]
    [InlineData("k9s-po.json")]
    public void Pod_RealClusterObject_ReadsTheFieldsPortalShows(string file)
    {
        var pod = JsonSerializer.Deserialize(Reference(file), KubernetesJson.Default.Pod)!;

        pod.Kind.ShouldBe("Pod");
        pod.Metadata.Name.ShouldNotBeNullOrEmpty();
        pod.Metadata.CreationTimestamp.ShouldNotBeNull();
        pod.Spec.ShouldNotBeNull().Containers.ShouldNotBeEmpty();
        pod.Status.ShouldNotBeNull().Phase.ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("k9s-po.json", false)]
    [InlineData("PodList-single-item.json", true)]
    public void RoundTrip_KeepsEveryFieldIncludingUnmodelledOnes(string file, bool isList)
    {
        var original = JsonNode.Parse(Reference(file))!;

        var written = isList
            ? JsonSerializer.Serialize(JsonSerializer.Deserialize(original.ToJsonString(), KubernetesJson.Default.KubeListPod)!, KubernetesJson.Default.KubeListPod)
            : JsonSerializer.Serialize(JsonSerializer.Deserialize(original.ToJsonString(), KubernetesJson.Default.Pod)!, KubernetesJson.Default.Pod);

        JsonNode.DeepEquals(original, JsonNode.Parse(written)).ShouldBeTrue($"round trip changed the object:\n{written[..Math.Min(2000, written.Length)]}");
    }
}
