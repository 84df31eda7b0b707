using System.Net;
using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Tests.Kubernetes.Store;

public sealed class ObjectValidationTests
{
    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject Deployment(string selector = """{ "matchLabels": { "app": "web" } }""", string labels = """{ "app": "web" }""", string replicas = "1") => Obj($$"""
        { "metadata": { "name": "web", "namespace": "team" },
          "spec": { "replicas": {{replicas}}, "selector": {{selector}},
                    "template": { "metadata": { "labels": {{labels}} }, "spec": { "containers": [ { "name": "web", "image": "web:1" } ] } } } }
        """);

    private static IEnumerable<string?> CauseFields(StatusError error) =>
        J.Objects(error.Details?["causes"]).Select(c => J.Str(c, "field"));

    [Theory]
    [InlineData("Upper")]
    [InlineData("under_score")]
    [InlineData("-leading-dash")]
    [InlineData("trailing.")]
    public void Validate_NameThatIsNotADnsSubdomain_IsInvalid(string name)
    {
        var error = Should.Throw<StatusError>(() => ObjectValidation.Validate(ResourceTypes.ConfigMaps, Obj($$"""{ "metadata": { "name": "{{name}}" } }"""), null));

        error.Code.ShouldBe(HttpStatusCode.UnprocessableEntity);
        error.Reason.ShouldBe("Invalid");
        error.Message.ShouldStartWith($"ConfigMap \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain");
        CauseFields(error).ShouldBe(["metadata.name"]);
    }

    [Fact]
    public void Validate_DotsAreFineInAConfigMapNameButNotInANamespaceName()
    {
        ObjectValidation.Validate(ResourceTypes.ConfigMaps, Obj("""{ "metadata": { "name": "app.settings" } }"""), null);

        var error = Should.Throw<StatusError>(() => ObjectValidation.Validate(ResourceTypes.Namespaces, Obj("""{ "metadata": { "name": "app.settings" } }"""), null));
        error.Message.ShouldContain("a lowercase RFC 1123 label");
    }

    [Fact]
    public void Validate_NoName_IsRequired()
    {
        var error = Should.Throw<StatusError>(() => ObjectValidation.Validate(ResourceTypes.ConfigMaps, Obj("""{ "metadata": {} }"""), null));

        error.Message.ShouldContain("metadata.name: Required value: name or generateName is required");
    }

    [Fact]
    public void Validate_BadLabelValue_NamesMetadataLabels()
    {
        var error = Should.Throw<StatusError>(() =>
            ObjectValidation.Validate(ResourceTypes.ConfigMaps, Obj("""{ "metadata": { "name": "a", "labels": { "tier": "not ok!" } } }"""), null));

        CauseFields(error).ShouldBe(["metadata.labels"]);
        error.Message.ShouldContain("Invalid value: \"not ok!\"");
    }

    [Fact]
    public void Validate_DeploymentSelectorThatDoesNotMatchTheTemplate_IsInvalidOnTheTemplateLabels()
    {
        var error = Should.Throw<StatusError>(() =>
            ObjectValidation.Validate(ResourceTypes.Deployments, Deployment(selector: """{ "matchLabels": { "app": "api" } }"""), null));

        error.Code.ShouldBe(HttpStatusCode.UnprocessableEntity);
        error.Message.ShouldBe("Deployment.apps \"web\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`");
        CauseFields(error).ShouldBe(["spec.template.metadata.labels"]);
        J.Str(error.Details, "kind").ShouldBe("Deployment");
        J.Str(error.Details, "group").ShouldBe("apps");
    }

    [Fact]
    public void Validate_SelectorWithMatchExpressions_MatchingTheTemplate_IsValid() =>
        ObjectValidation.Validate(ResourceTypes.Deployments,
            Deployment(selector: """{ "matchExpressions": [ { "key": "app", "operator": "In", "values": [ "web", "api" ] } ] }"""), null);

    [Fact]
    public void Validate_ChangingTheSelectorOfAnExistingDeployment_IsImmutable()
    {
        var old = Deployment();
        var changed = Deployment(selector: """{ "matchLabels": { "app": "web", "tier": "x" } }""", labels: """{ "app": "web", "tier": "x" }""");

        var error = Should.Throw<StatusError>(() => ObjectValidation.Validate(ResourceTypes.Deployments, changed, old));

        error.Message.ShouldContain("spec.selector: Invalid value: field is immutable");
        CauseFields(error).ShouldBe(["spec.selector"]);
    }

    [Fact]
    public void Validate_NegativeReplicasAndMissingImage_ListsEveryCause()
    {
        var deployment = Deployment(replicas: "-1");
        J.At(deployment, "spec", "template", "spec", "containers")![0]!.AsObject().Remove("image");

        var error = Should.Throw<StatusError>(() => ObjectValidation.Validate(ResourceTypes.Deployments, deployment, null));

        CauseFields(error).ShouldBe(["spec.replicas", "spec.template.spec.containers[0].image"]);
        error.Message.ShouldStartWith("Deployment.apps \"web\" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, ");
    }

    [Fact]
    public void Validate_PodWithoutContainers_IsRequired()
    {
        var error = Should.Throw<StatusError>(() => ObjectValidation.Validate(ResourceTypes.Pods, Obj("""{ "metadata": { "name": "p" }, "spec": {} }"""), null));

        error.Message.ShouldBe("Pod \"p\" is invalid: spec.containers: Required value");
    }

    [Fact]
    public void Validate_PodUpdate_MayChangeImagesButNothingElseOfItsContainers()
    {
        var old = Obj("""{ "metadata": { "name": "p" }, "spec": { "containers": [ { "name": "c", "image": "a:1" } ] } }""");

        ObjectValidation.Validate(ResourceTypes.Pods, Obj("""{ "metadata": { "name": "p" }, "spec": { "nodeName": "n1", "containers": [ { "name": "c", "image": "a:2" } ] } }"""), old);
        var error = Should.Throw<StatusError>(() =>
            ObjectValidation.Validate(ResourceTypes.Pods, Obj("""{ "metadata": { "name": "p" }, "spec": { "containers": [ { "name": "c", "image": "a:1", "args": [ "x" ] } ] } }"""), old));

        error.Message.ShouldContain("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`");
    }
}
