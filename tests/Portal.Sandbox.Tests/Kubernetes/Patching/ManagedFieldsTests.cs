using System.Net;
using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Patching;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Tests.Kubernetes.Patching;

public sealed class ManagedFieldsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static JsonObject Config(int replicas = 2, string image = "web:1", string labels = """{ "app": "web", "team": "a" }""") => JsonNode.Parse($$"""
        { "apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": { "name": "web", "namespace": "team", "labels": {{labels}} },
          "spec": { "replicas": {{replicas}}, "selector": { "matchLabels": { "app": "web" } },
                    "template": { "metadata": { "labels": { "app": "web" } }, "spec": { "containers": [ { "name": "web", "image": "{{image}}" } ] } } } }
        """)!.AsObject();

    private static JsonObject Apply(JsonObject? live, JsonObject config, string manager = "alice", bool force = false) =>
        ManagedFields.Apply(ResourceTypes.Deployments, live, config, manager, force, Now);

    /// <summary>Another client writing the object (an ordinary update): it takes over the fields it changes.</summary>
    private static JsonObject UpdateBy(string manager, JsonObject live, Action<JsonObject> change)
    {
        var updated = (JsonObject)live.DeepClone();
        change(updated);
        ManagedFields.TrackUpdate(ResourceTypes.Deployments, live, updated, manager, Now);
        return updated;
    }

    private static Dictionary<string, JsonObject> Managers(JsonObject o) =>
        J.Objects(J.At(o, "metadata", "managedFields")).ToDictionary(e => $"{J.Str(e, "manager")}/{J.Str(e, "operation")}", e => (JsonObject)e["fieldsV1"]!);

    [Fact]
    public void Apply_OnCreate_SetsTheFieldsAndRecordsTheApplierAsTheirOwner()
    {
        var created = Apply(null, Config());

        J.Long(created, "spec", "replicas").ShouldBe(2);
        var entry = J.Objects(J.At(created, "metadata", "managedFields")).ShouldHaveSingleItem();
        J.Str(entry, "manager").ShouldBe("alice");
        J.Str(entry, "operation").ShouldBe("Apply");
        J.Str(entry, "apiVersion").ShouldBe("apps/v1");
        J.Str(entry, "fieldsType").ShouldBe("FieldsV1");
        J.At(entry, "fieldsV1", "f:spec", "f:replicas").ShouldNotBeNull();
        J.At(entry, "fieldsV1", "f:metadata", "f:labels", "f:team").ShouldNotBeNull();
        J.At(entry, "fieldsV1", "f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}", "f:image").ShouldNotBeNull();
        J.At(entry, "fieldsV1", "f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}", ".").ShouldNotBeNull();
        J.At(entry, "fieldsV1", "f:metadata", "f:name").ShouldBeNull("the name is not an owned field");
    }

    [Fact]
    public void Apply_ChangingAFieldAnotherManagerOwns_IsAConflictNamingThemAndTheField()
    {
        var live = UpdateBy("kubectl-scale", Apply(null, Config()), d => d["spec"]!["replicas"] = 5);

        var error = Should.Throw<StatusError>(() => Apply(live, Config(replicas: 3)));

        error.Code.ShouldBe(HttpStatusCode.Conflict);
        error.Reason.ShouldBe("Conflict");
        error.Message.ShouldBe("Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1: .spec.replicas");
        var cause = J.Objects(error.Details!["causes"]).ShouldHaveSingleItem();
        J.Str(cause, "reason").ShouldBe("FieldManagerConflict");
        J.Str(cause, "field").ShouldBe(".spec.replicas");
    }

    [Fact]
    public void Apply_TheSameValueAnotherManagerSet_IsNoConflictAndTheyShareIt()
    {
        var live = UpdateBy("kubectl-scale", Apply(null, Config()), d => d["spec"]!["replicas"] = 5);

        var applied = Apply(live, Config(replicas: 5, image: "web:2"));

        J.Str(J.At(applied, "spec", "template", "spec", "containers")![0], "image").ShouldBe("web:2");
        J.At(Managers(applied)["kubectl-scale/Update"], "f:spec", "f:replicas").ShouldNotBeNull();
        J.At(Managers(applied)["alice/Apply"], "f:spec", "f:replicas").ShouldNotBeNull();
    }

    [Fact]
    public void Apply_ConflictWithAnotherApplier_NamesItWithoutAnApiVersion()
    {
        var live = Apply(Apply(null, Config()), Config(replicas: 4), manager: "bob", force: true);

        var error = Should.Throw<StatusError>(() => Apply(live, Config(replicas: 2)));

        error.Message.ShouldBe("Apply failed with 1 conflict: conflict with \"bob\": .spec.replicas");
    }

    [Fact]
    public void Apply_Forced_TakesOwnershipFromTheOtherManager()
    {
        var live = UpdateBy("kubectl-scale", Apply(null, Config()), d => d["spec"]!["replicas"] = 5);

        var forced = Apply(live, Config(replicas: 3), force: true);

        J.Long(forced, "spec", "replicas").ShouldBe(3);
        Managers(forced).Keys.ToList().ShouldBe(["alice/Apply"], customMessage: "kubectl-scale owned nothing else, so its entry goes");
        J.At(Managers(forced)["alice/Apply"], "f:spec", "f:replicas").ShouldNotBeNull();
    }

    [Fact]
    public void Apply_FieldLeftOutOfTheConfig_IsRemovedWhenNobodyElseOwnsIt()
    {
        var live = Apply(null, Config(labels: """{ "app": "web", "team": "a" }"""));

        var applied = Apply(live, Config(labels: """{ "app": "web" }"""));

        J.Labels(applied).Keys.ShouldBe(["app"]);
        J.At(Managers(applied)["alice/Apply"], "f:metadata", "f:labels", "f:team").ShouldBeNull();
    }

    [Fact]
    public void Apply_FieldLeftOutOfTheConfig_StaysWhenAnotherManagerOwnsIt()
    {
        var live = Apply(null, Config(labels: """{ "app": "web", "team": "a" }"""));
        live = Apply(live, JsonNode.Parse("""{ "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "web", "labels": { "team": "a" } } }""")!.AsObject(), manager: "bob");

        var applied = Apply(live, Config(labels: """{ "app": "web" }"""));

        J.Str(applied, "metadata", "labels", "team").ShouldBe("a");
        J.At(Managers(applied)["bob/Apply"], "f:metadata", "f:labels", "f:team").ShouldNotBeNull();
    }

    [Fact]
    public void Apply_RemovedContainer_IsRemovedFromTheKeyedList()
    {
        var twoContainers = Config();
        J.At(twoContainers, "spec", "template", "spec", "containers")!.AsArray().Add(new JsonObject { ["name"] = "sidecar", ["image"] = "proxy:1" });
        var live = Apply(null, twoContainers);

        var applied = Apply(live, Config());

        J.Objects(J.At(applied, "spec", "template", "spec", "containers")).Select(c => J.Str(c, "name")).ShouldBe(["web"]);
    }

    [Fact]
    public void Apply_RemovedContainer_StaysWhileAnotherManagerOwnsPartOfIt()
    {
        var twoContainers = Config();
        J.At(twoContainers, "spec", "template", "spec", "containers")!.AsArray().Add(new JsonObject { ["name"] = "sidecar", ["image"] = "proxy:1" });
        var live = UpdateBy("mesh-injector", Apply(null, twoContainers), d => J.At(d, "spec", "template", "spec", "containers")![1]!["image"] = "proxy:2");

        var applied = Apply(live, Config());

        var sidecar = J.Objects(J.At(applied, "spec", "template", "spec", "containers")).Single(c => J.Str(c, "name") == "sidecar");
        J.Str(sidecar, "image").ShouldBe("proxy:2");
    }

    [Fact]
    public void TrackUpdate_TakesOverOnlyTheFieldsThatChanged()
    {
        var live = Apply(null, Config());

        var updated = UpdateBy("editor", live, d => d["metadata"]!["labels"]!["team"] = "b");

        J.At(Managers(updated)["editor/Update"], "f:metadata", "f:labels", "f:team").ShouldNotBeNull();
        J.At(Managers(updated)["editor/Update"], "f:spec").ShouldBeNull();
        J.At(Managers(updated)["alice/Apply"], "f:metadata", "f:labels", "f:team").ShouldBeNull();
        J.At(Managers(updated)["alice/Apply"], "f:spec", "f:replicas").ShouldNotBeNull();
    }
}
