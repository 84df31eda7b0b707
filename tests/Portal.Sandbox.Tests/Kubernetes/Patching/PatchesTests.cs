using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Patching;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Tests.Kubernetes.Patching;

public sealed class PatchesTests
{
    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private static void ShouldBeJson(JsonNode actual, string expected) =>
        JsonNode.DeepEquals(actual, JsonNode.Parse(expected)).ShouldBeTrue($"got {actual.ToJsonString()}");

    private static JsonObject Pod() => Obj("""
        { "metadata": { "name": "p", "labels": { "app": "web", "tier": "front" }, "finalizers": [ "a", "b", "c" ] },
          "spec": { "containers": [
                      { "name": "web", "image": "web:1", "args": [ "--port", "80" ], "env": [ { "name": "A", "value": "1" }, { "name": "B", "value": "2" } ] },
                      { "name": "sidecar", "image": "proxy:1" } ] } }
        """);

    [Fact]
    public void Merge_NullDeletesAKeyAndObjectsMergeRecursively()
    {
        var patched = Patches.Merge(Pod(), Obj("""{ "metadata": { "labels": { "tier": null, "team": "a" } } }"""));

        ShouldBeJson(patched["metadata"]!["labels"]!, """{ "app": "web", "team": "a" }""");
        J.Str(patched, "metadata", "name").ShouldBe("p");
    }

    [Fact]
    public void Merge_ReplacesListsWhole()
    {
        var patched = Patches.Merge(Pod(), Obj("""{ "spec": { "containers": [ { "name": "web", "image": "web:2" } ] } }"""));

        ShouldBeJson(patched["spec"]!["containers"]!, """[ { "name": "web", "image": "web:2" } ]""");
    }

    [Fact]
    public void Merge_DoesNotChangeItsInputs()
    {
        var target = Pod();
        var patch = Obj("""{ "metadata": { "labels": { "tier": null } } }""");

        Patches.Merge(target, patch);

        J.Str(target, "metadata", "labels", "tier").ShouldBe("front");
        patch.ToJsonString().ShouldBe("""{"metadata":{"labels":{"tier":null}}}""");
    }

    [Fact]
    public void Merge_NullsInsideAnObjectTheTargetLacks_AreDropped()
    {
        // RFC 7386: a patch object applied where the target has none is merged into an empty object, so its nulls delete nothing and are not stored.
        var patched = Patches.Merge(Obj("""{ "metadata": { "name": "p" } }"""), Obj("""{ "metadata": { "annotations": { "gone": null, "kept": "x" } } }"""));

        ShouldBeJson(patched, """{ "metadata": { "name": "p", "annotations": { "kept": "x" } } }""");
    }

    [Fact]
    public void Strategic_MergesContainersByNameAndKeepsTheOthers()
    {
        var patched = Patches.Strategic(Pod(), Obj("""{ "spec": { "containers": [ { "name": "web", "image": "web:2" } ] } }"""));

        ShouldBeJson(patched["spec"]!["containers"]!, """
            [ { "name": "web", "image": "web:2", "args": [ "--port", "80" ], "env": [ { "name": "A", "value": "1" }, { "name": "B", "value": "2" } ] },
              { "name": "sidecar", "image": "proxy:1" } ]
            """);
    }

    [Fact]
    public void Strategic_MergesNestedKeyedListsAndAppendsNewElements()
    {
        var patched = Patches.Strategic(Pod(), Obj("""
            { "spec": { "containers": [ { "name": "web", "env": [ { "name": "B", "value": "20" }, { "name": "C", "value": "3" } ] }, { "name": "new", "image": "n:1" } ] } }
            """));

        ShouldBeJson(patched["spec"]!["containers"]![0]!["env"]!, """[ { "name": "A", "value": "1" }, { "name": "B", "value": "20" }, { "name": "C", "value": "3" } ]""");
        patched["spec"]!["containers"]!.AsArray().Select(c => J.Str(c, "name")).ShouldBe(["web", "sidecar", "new"]);
    }

    [Fact]
    public void Strategic_ListWithoutAMergeKey_IsReplaced()
    {
        var patched = Patches.Strategic(Pod(), Obj("""{ "spec": { "containers": [ { "name": "web", "args": [ "--debug" ] } ] } }"""));

        ShouldBeJson(patched["spec"]!["containers"]![0]!["args"]!, """[ "--debug" ]""");
    }

    [Fact]
    public void Strategic_PatchDeleteDirective_RemovesTheElement()
    {
        var patched = Patches.Strategic(Pod(), Obj("""{ "spec": { "containers": [ { "name": "sidecar", "$patch": "delete" } ] } }"""));

        patched["spec"]!["containers"]!.AsArray().Select(c => J.Str(c, "name")).ShouldBe(["web"]);
    }

    [Fact]
    public void Strategic_PatchDeleteOnAMap_RemovesTheMap()
    {
        var patched = Patches.Strategic(Pod(), Obj("""{ "metadata": { "labels": { "$patch": "delete" } } }"""));

        J.At(patched, "metadata", "labels").ShouldBeNull();
        J.Str(patched, "metadata", "name").ShouldBe("p");
    }

    [Fact]
    public void Strategic_PatchReplaceOnAMap_ReplacesItWhole()
    {
        var patched = Patches.Strategic(Pod(), Obj("""{ "metadata": { "labels": { "$patch": "replace", "only": "this" } } }"""));

        ShouldBeJson(patched["metadata"]!["labels"]!, """{ "only": "this" }""");
    }

    [Fact]
    public void Strategic_SetElementOrder_ReordersTheMergedList()
    {
        var patched = Patches.Strategic(Pod(), Obj("""
            { "spec": { "$setElementOrder/containers": [ { "name": "sidecar" }, { "name": "web" } ], "containers": [ { "name": "web", "image": "web:2" } ] } }
            """));

        var containers = patched["spec"]!["containers"]!.AsArray();
        containers.Select(c => J.Str(c, "name")).ShouldBe(["sidecar", "web"]);
        J.Str(containers[1], "image").ShouldBe("web:2");
        J.At(patched, "spec", "$setElementOrder/containers").ShouldBeNull("directives are never stored");
    }

    [Fact]
    public void Strategic_DeleteFromPrimitiveList_RemovesOnlyThoseValues()
    {
        var patched = Patches.Strategic(Pod(), Obj("""{ "metadata": { "$deleteFromPrimitiveList/finalizers": [ "b" ] } }"""));

        ShouldBeJson(patched["metadata"]!["finalizers"]!, """[ "a", "c" ]""");
        J.At(patched, "metadata", "$deleteFromPrimitiveList/finalizers").ShouldBeNull();
    }

    [Fact]
    public void Strategic_Finalizers_MergeAsASet()
    {
        var patched = Patches.Strategic(Pod(), Obj("""{ "metadata": { "finalizers": [ "c", "d" ] } }"""));

        ShouldBeJson(patched["metadata"]!["finalizers"]!, """[ "a", "b", "c", "d" ]""");
    }

    [Fact]
    public void Strategic_RetainKeys_DropsTheKeysNotListed()
    {
        var target = Obj("""{ "spec": { "strategy": { "type": "RollingUpdate", "rollingUpdate": { "maxSurge": 1 } } } }""");

        var patched = Patches.Strategic(target, Obj("""{ "spec": { "strategy": { "$retainKeys": [ "type" ], "type": "Recreate" } } }"""));

        ShouldBeJson(patched, """{ "spec": { "strategy": { "type": "Recreate" } } }""");
    }

    [Fact]
    public void Strategic_NullDeletesAndNewKeyedListIsTakenWithoutDirectives()
    {
        var patched = Patches.Strategic(Obj("""{ "metadata": { "name": "p", "labels": { "a": "1" } } }"""),
            Obj("""{ "metadata": { "labels": null }, "spec": { "containers": [ { "name": "web", "image": "w", "$patch": "merge" } ] } }"""));

        ShouldBeJson(patched, """{ "metadata": { "name": "p" }, "spec": { "containers": [ { "name": "web", "image": "w" } ] } }""");
    }

    [Fact]
    public void Strategic_NullsInsideAnObjectTheTargetLacks_AreDropped()
    {
        var patched = Patches.Strategic(Obj("""{ "metadata": { "name": "p" } }"""), Obj("""{ "metadata": { "annotations": { "gone": null, "kept": "x" } } }"""));

        ShouldBeJson(patched, """{ "metadata": { "name": "p", "annotations": { "kept": "x" } } }""");
    }
}
