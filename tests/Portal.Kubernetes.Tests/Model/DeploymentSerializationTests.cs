using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Kubernetes.Model;

namespace Portal.Kubernetes.Tests.Model;

public class DeploymentSerializationTests
{
    private static string Reference(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", file));

    [Theory]
    [InlineData("k9s-dp.json")]
    [InlineData("kubectl-edit-Deployment.json")]
    public void Deployment_RealClusterObject_ReadsTheFieldsPortalShows(string file)
    {
        var deployment = JsonSerializer.Deserialize(Reference(file), KubernetesJson.Default.Deployment)!;

        deployment.Kind.ShouldBe("Deployment");
        deployment.Metadata.Name.ShouldNotBeNullOrEmpty();
        deployment.Spec.ShouldNotBeNull().Replicas.ShouldNotBeNull();
        deployment.Spec.Selector.ShouldNotBeNull().MatchLabels.ShouldNotBeEmpty();
        deployment.Spec.Template.ShouldNotBeNull().Spec.ShouldNotBeNull().Containers.ShouldAllBe(c => !string.IsNullOrEmpty(c.Image));
        deployment.Status.ShouldNotBeNull().Conditions.ShouldNotBeNull().ShouldContain(c => c.Type == "Available");
    }

    [Fact]
    public void Deployment_K9sDump_ReadsItsNumbersAndConditions()
    {
        var deployment = JsonSerializer.Deserialize(Reference("k9s-dp.json"), KubernetesJson.Default.Deployment)!;

        (deployment.Spec!.Replicas, deployment.Status!.ReadyReplicas, deployment.Status.AvailableReplicas).ShouldBe((1, 1, 1));
        deployment.Spec.Selector!.ToQuery().ShouldBe("app=icx-db");
        deployment.Status.Conditions!.Single(c => c.Type == "Progressing").LastUpdateTime.ShouldBe(new DateTimeOffset(2019, 7, 14, 4, 54, 20, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("k9s-dp.json")]
    [InlineData("kubectl-edit-Deployment.json")]
    [InlineData("apps.v1.Deployment.json")]
    public void RoundTrip_KeepsEveryFieldIncludingUnmodelledOnes(string file)
    {
        var original = JsonNode.Parse(Reference(file))!;

        var written = JsonSerializer.Serialize(JsonSerializer.Deserialize(original.ToJsonString(), KubernetesJson.Default.Deployment)!, KubernetesJson.Default.Deployment);

        JsonNode.DeepEquals(WithoutNulls(original), JsonNode.Parse(written)).ShouldBeTrue($"round trip changed the object:\n{written[..Math.Min(3000, written.Length)]}");
    }

    /// <summary>
    /// The API decodes an explicit null as an absent field, and the models write no nulls: k9s-dp.json's pod template
    /// has the <c>"creationTimestamp": null</c> that Go's encoder writes for an empty time, which comes back absent.
    /// </summary>
    private static JsonNode WithoutNulls(JsonNode node)
    {
        if (node is JsonObject o)
        {
            foreach (var key in o.Where(p => p.Value is null).Select(p => p.Key).ToList())
            {
                o.Remove(key);
            }

            foreach (var (_, child) in o)
            {
                WithoutNulls(child!);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a.OfType<JsonNode>())
            {
                WithoutNulls(child);
            }
        }

        return node;
    }
}
