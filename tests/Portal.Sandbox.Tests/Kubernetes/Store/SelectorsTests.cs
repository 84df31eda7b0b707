using System.Net;
using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Tests.Kubernetes.Store;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["tier"] = "front", ["env"] = "dev" };

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app = web", true)]
    [InlineData("app=api", false)]
    [InlineData("tier!=db", true)]
    [InlineData("tier!=front", false)]
    [InlineData("missing!=x", true)]
    [InlineData("env in (dev,test)", true)]
    [InlineData("env in (prod)", false)]
    [InlineData("env notin (prod, staging)", true)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("!legacy", true)]
    [InlineData("app=web,env in (dev,test),!legacy", true)]
    [InlineData("app=web,env in (prod)", false)]
    [InlineData("", true)]
    public void Parse_MatchesAsTheApiDoes(string selector, bool matches) =>
        LabelSelector.Parse(selector).Matches(Web).ShouldBe(matches);

    [Fact]
    public void Parse_Nonsense_IsABadRequest()
    {
        var error = Should.Throw<StatusError>(() => LabelSelector.Parse("a b=c"));

        error.Code.ShouldBe(HttpStatusCode.BadRequest);
        error.Message.ShouldContain("invalid label key");
    }

    [Fact]
    public void FromObject_MatchLabelsAndExpressionsMustAllHold()
    {
        var selector = LabelSelector.FromObject(JsonNode.Parse("""
            { "matchLabels": { "app": "web" }, "matchExpressions": [ { "key": "env", "operator": "In", "values": [ "dev" ] }, { "key": "legacy", "operator": "DoesNotExist" } ] }
            """));

        selector.Matches(Web).ShouldBeTrue();
        selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["env"] = "prod" }).ShouldBeFalse();
    }

    [Fact]
    public void FromObject_NoOrEmptySelector_SelectsNothing()
    {
        LabelSelector.FromObject(null).Matches(Web).ShouldBeFalse();
        LabelSelector.FromObject(new JsonObject()).Matches(Web).ShouldBeFalse();
    }

    [Fact]
    public void FromObject_UnknownOperator_IsABadRequest() =>
        Should.Throw<StatusError>(() => LabelSelector.FromObject(JsonNode.Parse("""{ "matchExpressions": [ { "key": "a", "operator": "Like" } ] }""")))
            .Message.ShouldBe("\"Like\" is not a valid label selector operator");
}

public sealed class FieldSelectorTests
{
    private static readonly JsonObject ScheduledPod = JsonNode.Parse("""
        { "metadata": { "name": "p", "namespace": "team" }, "spec": { "nodeName": "node-1" }, "status": { "phase": "Running" } }
        """)!.AsObject();

    [Theory]
    [InlineData("metadata.name=p", true)]
    [InlineData("metadata.namespace=other", false)]
    [InlineData("spec.nodeName=node-1,status.phase=Running", true)]
    [InlineData("status.phase!=Running", false)]
    [InlineData("spec.nodeName==node-2", false)]
    [InlineData("spec.restartPolicy=", true)]
    public void Parse_MatchesOnTheIndexedFields(string selector, bool matches) =>
        FieldSelector.Parse(selector, ResourceTypes.Pods).Matches(ScheduledPod).ShouldBe(matches);

    [Fact]
    public void Parse_FieldTheApiDoesNotIndex_IsABadRequest()
    {
        var error = Should.Throw<StatusError>(() => FieldSelector.Parse("spec.containers=x", ResourceTypes.Pods));

        error.Code.ShouldBe(HttpStatusCode.BadRequest);
        error.Message.ShouldBe("field label not supported: spec.containers");
    }

    [Fact]
    public void Parse_EventFields_AreIndexedForEventsOnly()
    {
        FieldSelector.Parse("involvedObject.name=web", ResourceTypes.Events).ShouldNotBeNull();
        Should.Throw<StatusError>(() => FieldSelector.Parse("involvedObject.name=web", ResourceTypes.Pods));
    }
}
