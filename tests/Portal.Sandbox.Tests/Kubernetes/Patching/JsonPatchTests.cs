using System.Net;
using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Patching;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Tests.Kubernetes.Patching;

public sealed class JsonPatchTests
{
    private static JsonObject Target() => JsonNode.Parse("""
        { "metadata": { "name": "p", "labels": { "app.kubernetes.io/name": "web" } },
          "spec": { "replicas": 2, "args": [ "a", "b", "c" ] } }
        """)!.AsObject();

    private static JsonObject Apply(string operations) => JsonPatch.Apply(Target(), JsonNode.Parse(operations)!.AsArray());

    [Fact]
    public void Apply_AddReplaceAndRemove_OnObjectsAndArrays()
    {
        var patched = Apply("""
            [ { "op": "add", "path": "/metadata/labels/team", "value": "a" },
              { "op": "replace", "path": "/spec/replicas", "value": 5 },
              { "op": "add", "path": "/spec/args/1", "value": "inserted" },
              { "op": "add", "path": "/spec/args/-", "value": "appended" },
              { "op": "remove", "path": "/spec/args/0" } ]
            """);

        J.Str(patched, "metadata", "labels", "team").ShouldBe("a");
        J.Long(patched, "spec", "replicas").ShouldBe(5);
        patched["spec"]!["args"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["inserted", "b", "c", "appended"]);
    }

    [Fact]
    public void Apply_EscapedSlashInAPath_AddressesTheLabelKey()
    {
        var patched = Apply("""[ { "op": "replace", "path": "/metadata/labels/app.kubernetes.io~1name", "value": "api" } ]""");

        J.Str(patched, "metadata", "labels", "app.kubernetes.io/name").ShouldBe("api");
    }

    [Fact]
    public void Apply_MoveAndCopy()
    {
        var patched = Apply("""
            [ { "op": "copy", "from": "/spec/replicas", "path": "/metadata/labels/replicas" },
              { "op": "move", "from": "/spec/args", "path": "/spec/command" } ]
            """);

        J.Long(patched, "metadata", "labels", "replicas").ShouldBe(2);
        J.At(patched, "spec", "args").ShouldBeNull();
        patched["spec"]!["command"]!.AsArray().Count.ShouldBe(3);
    }

    [Fact]
    public void Apply_PassingTest_LetsTheRestApply()
    {
        var patched = Apply("""[ { "op": "test", "path": "/spec/replicas", "value": 2 }, { "op": "replace", "path": "/spec/replicas", "value": 3 } ]""");

        J.Long(patched, "spec", "replicas").ShouldBe(3);
    }

    [Fact]
    public void Apply_FailingTest_RefusesThePatchAndChangesNothing()
    {
        var target = Target();

        var error = Should.Throw<StatusError>(() => JsonPatch.Apply(target, JsonNode.Parse("""
            [ { "op": "replace", "path": "/spec/replicas", "value": 9 }, { "op": "test", "path": "/metadata/name", "value": "q" } ]
            """)!.AsArray()));

        error.Code.ShouldBe(HttpStatusCode.UnprocessableEntity);
        error.Message.ShouldContain("testing value at /metadata/name failed");
        J.Long(target, "spec", "replicas").ShouldBe(2, "all or nothing: the earlier replace was not kept");
    }

    [Fact]
    public void Apply_RemovingAMissingPath_IsABadRequest() =>
        Should.Throw<StatusError>(() => Apply("""[ { "op": "remove", "path": "/spec/nothing" } ]""")).Code.ShouldBe(HttpStatusCode.BadRequest);

    [Fact]
    public void Apply_AddUnderAMissingParent_IsABadRequest() =>
        Should.Throw<StatusError>(() => Apply("""[ { "op": "add", "path": "/status/phase", "value": "Running" } ]""")).Message.ShouldContain("doc is missing path: \"/status/phase\"");

    [Fact]
    public void Apply_UnknownOperation_IsABadRequest() =>
        Should.Throw<StatusError>(() => Apply("""[ { "op": "frobnicate", "path": "/spec" } ]""")).Code.ShouldBe(HttpStatusCode.BadRequest);
}
