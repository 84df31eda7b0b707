using System.Net;
using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;
using Portal.Testing;

namespace Portal.Sandbox.Tests.Kubernetes.Store;

public sealed class ObjectStoreTests
{
    private const string Ns = "team";
    private readonly FakeClock _clock = new();

    private ObjectStore NewStore(int historyCapacity = 20_000)
    {
        var store = new ObjectStore(_clock, historyCapacity);
        store.Create(ResourceTypes.Namespaces, Obj($$"""{ "metadata": { "name": "{{Ns}}" } }"""));
        return store;
    }

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject ConfigMap(string name, string value = "1", string tier = "web") =>
        Obj($$"""{ "metadata": { "name": "{{name}}", "namespace": "{{Ns}}", "labels": { "tier": "{{tier}}" } }, "data": { "k": "{{value}}" } }""");

    private static JsonObject With(JsonObject o, Action<JsonObject> change)
    {
        var copy = (JsonObject)o.DeepClone();
        change(copy);
        return copy;
    }

    private static string Rv(JsonObject o) => J.Str(o, "metadata", "resourceVersion")!;

    private static List<StoreEvent> Drain(Watcher watcher)
    {
        var events = new List<StoreEvent>();
        while (watcher.Events.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    [Fact]
    public void Create_SetsUidCreationTimeAndAResourceVersion()
    {
        var store = NewStore();

        var created = store.Create(ResourceTypes.ConfigMaps, ConfigMap("a"));

        J.Uid(created).ShouldNotBeNullOrEmpty();
        J.Str(created, "metadata", "creationTimestamp").ShouldBe("2026-11-22T09:00:00Z");
        Rv(created).ShouldBe(store.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
        J.Str(created, "kind").ShouldBe("ConfigMap");
        Should.Throw<StatusError>(() => store.Create(ResourceTypes.ConfigMaps, ConfigMap("a"))).Reason.ShouldBe("AlreadyExists");
    }

    [Fact]
    public void Create_InAMissingNamespace_IsNotFound()
    {
        var store = NewStore();

        var error = Should.Throw<StatusError>(() => store.Create(ResourceTypes.ConfigMaps, Obj("""{ "metadata": { "name": "a", "namespace": "nowhere" } }""")));

        error.Code.ShouldBe(HttpStatusCode.NotFound);
        error.Message.ShouldBe("namespaces \"nowhere\" not found");
    }

    [Fact]
    public void Update_WithAStaleResourceVersion_IsAConflict()
    {
        var store = NewStore();
        var original = store.Create(ResourceTypes.ConfigMaps, ConfigMap("a"));
        store.Update(ResourceTypes.ConfigMaps, With(original, o => o["data"]!["k"] = "2"));

        var error = Should.Throw<StatusError>(() => store.Update(ResourceTypes.ConfigMaps, With(original, o => o["data"]!["k"] = "3")));

        error.Code.ShouldBe(HttpStatusCode.Conflict);
        error.Reason.ShouldBe("Conflict");
        error.Message.ShouldBe("Operation cannot be fulfilled on configmaps \"a\": the object has been modified; please apply your changes to the latest version and try again");
        J.Str(store.Get(ResourceTypes.ConfigMaps, Ns, "a"), "data", "k").ShouldBe("2", "the refused write changed nothing");
    }

    [Fact]
    public void Update_WithTheCurrentResourceVersion_StoresANewVersion()
    {
        var store = NewStore();
        var original = store.Create(ResourceTypes.ConfigMaps, ConfigMap("a"));

        var updated = store.Update(ResourceTypes.ConfigMaps, With(original, o => o["data"]!["k"] = "2"));

        long.Parse(Rv(updated), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(long.Parse(Rv(original), System.Globalization.CultureInfo.InvariantCulture));
        J.Uid(updated).ShouldBe(J.Uid(original));
        J.Str(updated, "metadata", "creationTimestamp").ShouldBe(J.Str(original, "metadata", "creationTimestamp"));
    }

    [Fact]
    public void Update_ThatChangesNothing_KeepsTheResourceVersionAndTellsNoWatcher()
    {
        var store = NewStore();
        var original = store.Create(ResourceTypes.ConfigMaps, ConfigMap("a"));
        var revision = store.Revision;
        using var watcher = store.Watch(ResourceTypes.ConfigMaps, Ns, LabelSelector.Everything, FieldSelector.Everything, revision);

        var same = store.Update(ResourceTypes.ConfigMaps, (JsonObject)original.DeepClone());

        Rv(same).ShouldBe(Rv(original));
        store.Revision.ShouldBe(revision);
        Drain(watcher).ShouldBeEmpty();
    }

    [Fact]
    public void Update_BumpsGenerationOnlyWhenTheSpecChanges()
    {
        var store = NewStore();
        var deployment = store.Create(ResourceTypes.Deployments, Obj($$"""
            { "metadata": { "name": "web", "namespace": "{{Ns}}" },
              "spec": { "replicas": 1, "selector": { "matchLabels": { "app": "web" } },
                        "template": { "metadata": { "labels": { "app": "web" } }, "spec": { "containers": [ { "name": "web", "image": "web:1" } ] } } } }
            """));
        J.Long(deployment, "metadata", "generation").ShouldBe(1);

        var relabelled = store.Update(ResourceTypes.Deployments, With(deployment, d => J.Obj(J.Meta(d), "labels")["team"] = "a"));
        J.Long(relabelled, "metadata", "generation").ShouldBe(1, "metadata is not the spec");

        var scaled = store.Update(ResourceTypes.Deployments, With(relabelled, d => d["spec"]!["replicas"] = 3));
        J.Long(scaled, "metadata", "generation").ShouldBe(2);

        var withStatus = store.Update(ResourceTypes.Deployments, With(scaled, d => d["status"] = new JsonObject { ["replicas"] = 3 }));
        J.Long(withStatus, "metadata", "generation").ShouldBe(2, "status is not the spec");
    }

    [Fact]
    public void ListPage_PagesWithContinueTokensInNameOrder()
    {
        var store = NewStore();
        foreach (var name in new[] { "e", "b", "d", "a", "c" })
        {
            store.Create(ResourceTypes.ConfigMaps, ConfigMap(name));
        }

        var first = store.ListPage(ResourceTypes.ConfigMaps, Ns, LabelSelector.Everything, FieldSelector.Everything, 2, null);
        var second = store.ListPage(ResourceTypes.ConfigMaps, Ns, LabelSelector.Everything, FieldSelector.Everything, 2, first.Continue);
        var third = store.ListPage(ResourceTypes.ConfigMaps, Ns, LabelSelector.Everything, FieldSelector.Everything, 2, second.Continue);

        first.Items.Select(J.Name).ShouldBe(["a", "b"]);
        first.RemainingItemCount.ShouldBe(3);
        second.Items.Select(J.Name).ShouldBe(["c", "d"]);
        second.RemainingItemCount.ShouldBe(1);
        third.Items.Select(J.Name).ShouldBe(["e"]);
        third.Continue.ShouldBeNull();
        third.RemainingItemCount.ShouldBeNull();
    }

    [Fact]
    public void ListPage_EveryPageReportsTheFirstPagesRevision_SoAWatchFromItSeesChangesMadeWhilePaging()
    {
        var store = NewStore();
        foreach (var name in new[] { "a", "b", "c" })
        {
            store.Create(ResourceTypes.ConfigMaps, ConfigMap(name));
        }

        var first = store.ListPage(ResourceTypes.ConfigMaps, Ns, LabelSelector.Everything, FieldSelector.Everything, 2, null);
        store.Delete(ResourceTypes.ConfigMaps, Ns, "a");   // on the page already read
        var last = store.ListPage(ResourceTypes.ConfigMaps, Ns, LabelSelector.Everything, FieldSelector.Everything, 2, first.Continue);

        last.Revision.ShouldBe(first.Revision);
        using var watcher = store.Watch(ResourceTypes.ConfigMaps, Ns, LabelSelector.Everything, FieldSelector.Everything, last.Revision);
        var replayed = Drain(watcher);
        replayed.Select(e => (e.Type, J.Name(e.Object))).ShouldBe([("DELETED", "a")]);
    }

    [Fact]
    public void ListPage_FiltersByLabelAndFieldBeforeCounting()
    {
        var store = NewStore();
        store.Create(ResourceTypes.ConfigMaps, ConfigMap("a", tier: "web"));
        store.Create(ResourceTypes.ConfigMaps, ConfigMap("b", tier: "db"));
        store.Create(ResourceTypes.ConfigMaps, ConfigMap("c", tier: "web"));

        var web = store.ListPage(ResourceTypes.ConfigMaps, Ns, LabelSelector.Parse("tier=web"), FieldSelector.Everything, 10, null);
        var named = store.ListPage(ResourceTypes.ConfigMaps, null, LabelSelector.Everything, FieldSelector.Parse("metadata.name=b", ResourceTypes.ConfigMaps), 10, null);

        web.Items.Select(J.Name).ShouldBe(["a", "c"]);
        named.Items.Select(J.Name).ShouldBe(["b"]);
    }

    [Fact]
    public void ListPage_ContinueTokenOlderThanTheHistory_IsExpired()
    {
        var store = NewStore(historyCapacity: 3);
        for (var i = 0; i < 5; i++)
        {
            store.Create(ResourceTypes.ConfigMaps, ConfigMap($"cm-{i}"));
        }

        var first = store.ListPage(ResourceTypes.ConfigMaps, Ns, LabelSelector.Everything, FieldSelector.Everything, 2, null);
        for (var i = 0; i < 4; i++)
        {
            store.Create(ResourceTypes.Secrets, Obj($$"""{ "metadata": { "name": "s-{{i}}", "namespace": "{{Ns}}" } }"""));
        }

        var error = Should.Throw<StatusError>(() => store.ListPage(ResourceTypes.ConfigMaps, Ns, LabelSelector.Everything, FieldSelector.Everything, 2, first.Continue));

        error.Code.ShouldBe(HttpStatusCode.Gone);
        error.Reason.ShouldBe("Expired");
        error.Message.ShouldStartWith("The provided continue parameter is too old to display a consistent list result.");
    }

    [Fact]
    public void ListPage_GarbageContinueToken_IsABadRequest() =>
        Should.Throw<StatusError>(() => NewStore().ListPage(ResourceTypes.ConfigMaps, Ns, LabelSelector.Everything, FieldSelector.Everything, 2, "not-a-token"))
            .Code.ShouldBe(HttpStatusCode.BadRequest);

    [Fact]
    public void Watch_FromARevision_ReplaysWhatHappenedAfterItThenFollows()
    {
        var store = NewStore();
        var a = store.Create(ResourceTypes.ConfigMaps, ConfigMap("a"));
        var from = store.Revision;
        store.Create(ResourceTypes.ConfigMaps, ConfigMap("b"));
        store.Update(ResourceTypes.ConfigMaps, With(a, o => o["data"]!["k"] = "2"));

        using var watcher = store.Watch(ResourceTypes.ConfigMaps, Ns, LabelSelector.Everything, FieldSelector.Everything, from);
        store.Delete(ResourceTypes.ConfigMaps, Ns, "b");
        store.Create(ResourceTypes.Secrets, Obj($$"""{ "metadata": { "name": "other-kind", "namespace": "{{Ns}}" } }"""));

        var events = Drain(watcher);
        events.Select(e => (e.Type, J.Name(e.Object))).ShouldBe([("ADDED", "b"), ("MODIFIED", "a"), ("DELETED", "b")]);
        events.Select(e => e.Revision).ShouldBeInOrder(SortDirection.Ascending);
        J.Str(events[1].Object, "data", "k").ShouldBe("2");
    }

    [Fact]
    public void Watch_WithoutARevision_StartsWithEveryObjectAsAdded()
    {
        var store = NewStore();
        store.Create(ResourceTypes.ConfigMaps, ConfigMap("a"));
        store.Create(ResourceTypes.ConfigMaps, ConfigMap("b"));

        using var watcher = store.Watch(ResourceTypes.ConfigMaps, Ns, LabelSelector.Everything, FieldSelector.Everything, null);

        Drain(watcher).Select(e => (e.Type, J.Name(e.Object))).ShouldBe([("ADDED", "a"), ("ADDED", "b")]);
    }

    [Fact]
    public void Watch_FromARevisionOlderThanTheHistory_IsGone()
    {
        var store = NewStore(historyCapacity: 2);
        var from = store.Revision;
        for (var i = 0; i < 5; i++)
        {
            store.Create(ResourceTypes.ConfigMaps, ConfigMap($"cm-{i}"));
        }

        var error = Should.Throw<StatusError>(() => store.Watch(ResourceTypes.ConfigMaps, Ns, LabelSelector.Everything, FieldSelector.Everything, from));

        error.Code.ShouldBe(HttpStatusCode.Gone);
        error.Reason.ShouldBe("Expired");
        error.Message.ShouldStartWith($"too old resource version: {from} (");
    }

    [Fact]
    public void Watch_FromTheOldestKeptRevision_StillWorks()
    {
        var store = NewStore(historyCapacity: 2);
        for (var i = 0; i < 5; i++)
        {
            store.Create(ResourceTypes.ConfigMaps, ConfigMap($"cm-{i}"));
        }

        using var watcher = store.Watch(ResourceTypes.ConfigMaps, Ns, LabelSelector.Everything, FieldSelector.Everything, store.Revision - 2);

        Drain(watcher).Select(e => J.Name(e.Object)).ShouldBe(["cm-3", "cm-4"]);
    }

    [Fact]
    public void Watch_WithASelector_SeesAnObjectLeaveAsDeletedAndComeBackAsAdded()
    {
        var store = NewStore();
        var a = store.Create(ResourceTypes.ConfigMaps, ConfigMap("a", tier: "web"));
        store.Create(ResourceTypes.ConfigMaps, ConfigMap("other", tier: "db"));
        using var watcher = store.Watch(ResourceTypes.ConfigMaps, Ns, LabelSelector.Parse("tier=web"), FieldSelector.Everything, store.Revision);

        var moved = store.Update(ResourceTypes.ConfigMaps, With(a, o => o["metadata"]!["labels"]!["tier"] = "db"));
        store.Update(ResourceTypes.ConfigMaps, With(moved, o => o["data"]!["k"] = "changed while out of the selection"));
        store.Update(ResourceTypes.ConfigMaps, With(store.Get(ResourceTypes.ConfigMaps, Ns, "a")!, o => o["metadata"]!["labels"]!["tier"] = "web"));

        Drain(watcher).Select(e => (e.Type, J.Name(e.Object), J.Str(e.Object, "metadata", "labels", "tier")))
            .ShouldBe([("DELETED", "a", "db"), ("ADDED", "a", "web")]);
    }

    [Fact]
    public void Delete_NamespaceMarksItTerminatingAndRefusesNewContent()
    {
        var store = NewStore();

        var terminating = store.Delete(ResourceTypes.Namespaces, null, Ns);

        J.Str(terminating, "status", "phase").ShouldBe("Terminating");
        J.IsTerminating(terminating).ShouldBeTrue();
        var error = Should.Throw<StatusError>(() => store.Create(ResourceTypes.ConfigMaps, ConfigMap("late")));
        error.Code.ShouldBe(HttpStatusCode.Forbidden);
        error.Message.ShouldBe($"configmaps \"late\" is forbidden: unable to create new content in namespace {Ns} because it is being terminated");
    }

    [Fact]
    public void Delete_ScheduledPod_TerminatesGracefullyButAnUnscheduledOneGoesAtOnce()
    {
        var store = NewStore();
        foreach (var (name, node) in new[] { ("scheduled", "\"nodeName\": \"n1\", "), ("pending", "") })
        {
            store.Create(ResourceTypes.Pods, Obj($$"""
                { "metadata": { "name": "{{name}}", "namespace": "{{Ns}}" }, "spec": { {{node}}"containers": [ { "name": "c", "image": "i" } ] } }
                """));
        }

        var scheduled = store.Delete(ResourceTypes.Pods, Ns, "scheduled");
        store.Delete(ResourceTypes.Pods, Ns, "pending");

        J.Str(scheduled, "metadata", "deletionTimestamp").ShouldBe("2026-11-22T09:00:30Z", "30 s, the default grace period");
        J.Long(scheduled, "metadata", "deletionGracePeriodSeconds").ShouldBe(30);
        store.Get(ResourceTypes.Pods, Ns, "scheduled").ShouldNotBeNull();
        store.Get(ResourceTypes.Pods, Ns, "pending").ShouldBeNull();
    }

    [Fact]
    public void Delete_WithAStalePrecondition_IsAConflict()
    {
        var store = NewStore();
        var a = store.Create(ResourceTypes.ConfigMaps, ConfigMap("a"));
        store.Update(ResourceTypes.ConfigMaps, With(a, o => o["data"]!["k"] = "2"));

        Should.Throw<StatusError>(() => store.Delete(ResourceTypes.ConfigMaps, Ns, "a", new DeleteOptions(ExpectedResourceVersion: Rv(a)))).Reason.ShouldBe("Conflict");
        store.Get(ResourceTypes.ConfigMaps, Ns, "a").ShouldNotBeNull();
    }

    [Fact]
    public void Delete_WithAFinalizer_WaitsUntilTheLastFinalizerIsRemoved()
    {
        var store = NewStore();
        store.Create(ResourceTypes.ConfigMaps, Obj($$"""{ "metadata": { "name": "held", "namespace": "{{Ns}}", "finalizers": [ "example.com/hold" ] } }"""));

        var marked = store.Delete(ResourceTypes.ConfigMaps, Ns, "held");
        J.IsTerminating(marked).ShouldBeTrue();
        store.Get(ResourceTypes.ConfigMaps, Ns, "held").ShouldNotBeNull();

        store.Mutate(ResourceTypes.ConfigMaps, Ns, "held", o => J.Meta(o).Remove("finalizers"));

        store.Get(ResourceTypes.ConfigMaps, Ns, "held").ShouldBeNull();
    }

    [Fact]
    public void Delete_Orphan_RemovesTheOwnerReferenceFromDependents()
    {
        var store = NewStore();
        var owner = store.Create(ResourceTypes.ConfigMaps, ConfigMap("owner"));
        store.Create(ResourceTypes.ConfigMaps, Obj($$"""
            { "metadata": { "name": "dependent", "namespace": "{{Ns}}",
                            "ownerReferences": [ { "apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": "{{J.Uid(owner)}}" } ] } }
            """));

        store.Delete(ResourceTypes.ConfigMaps, Ns, "owner", new DeleteOptions("Orphan"));

        store.Get(ResourceTypes.ConfigMaps, Ns, "owner").ShouldBeNull();
        J.At(store.Get(ResourceTypes.ConfigMaps, Ns, "dependent"), "metadata", "ownerReferences").ShouldBeNull();
    }

    [Fact]
    public void SnapshotAndRestore_KeepObjectsAndRevision_ButOlderRevisionsAreGone()
    {
        var store = NewStore();
        store.Create(ResourceTypes.ConfigMaps, ConfigMap("a"));
        var (revision, objects) = store.Snapshot();

        var restored = new ObjectStore(_clock);
        restored.Restore(revision, objects);

        restored.Revision.ShouldBe(revision);
        restored.Get(ResourceTypes.ConfigMaps, Ns, "a").ShouldNotBeNull();
        Should.Throw<StatusError>(() => restored.Watch(ResourceTypes.ConfigMaps, Ns, LabelSelector.Everything, FieldSelector.Everything, revision - 1)).Code.ShouldBe(HttpStatusCode.Gone);
        J.Str(restored.Create(ResourceTypes.ConfigMaps, ConfigMap("b")), "metadata", "resourceVersion").ShouldBe((revision + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
