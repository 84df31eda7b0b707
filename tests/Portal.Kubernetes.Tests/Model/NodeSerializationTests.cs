using Portal.Core.Resources;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Kubernetes.Model;

namespace Portal.Kubernetes.Tests.Model;

public class NodeSerializationTests
{
    private static string Reference(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", file));

    [Fact]
    public void Node_RealClusterObject_ReadsCapacityConditionsAndVersions()
    {
        var node = JsonSerializer.Deserialize(Reference("k9s-no.json"), KubernetesJson.Default.Node)!;

        node.Kind.ShouldBe("Node");
        node.Metadata.Name.ShouldBe("minikube");
        node.Status.ShouldNotBeNull().Capacity.ShouldNotBeNull()["cpu"].ShouldNotBeNullOrEmpty();
        Quantity.Bytes(node.Status.Allocatable!["memory"]).ShouldBeGreaterThan(1L << 30);
        node.Status.Conditions.ShouldNotBeNull().Single(c => c.Type == "Ready").IsTrue.ShouldBeTrue();
        node.Status.NodeInfo.ShouldNotBeNull().KubeletVersion.ShouldStartWith("v1.");
    }

    [Theory]
    [InlineData("k9s-no.json")]
    [InlineData("core.v1.Node.json")]
    public void RoundTrip_KeepsEveryFieldIncludingUnmodelledOnes(string file)
    {
        var original = JsonNode.Parse(Reference(file))!;

        var written = JsonSerializer.Serialize(JsonSerializer.Deserialize(original.ToJsonString(), KubernetesJson.Default.Node)!, KubernetesJson.Default.Node);

        JsonNode.DeepEquals(original, JsonNode.Parse(written)).ShouldBeTrue($"round trip changed the object:\n{written[..Math.Min(3000, written.Length)]}");
    }
}
