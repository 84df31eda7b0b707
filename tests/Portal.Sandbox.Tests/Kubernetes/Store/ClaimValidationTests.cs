using System.Net;
using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;
using Portal.Testing;

namespace Portal.Sandbox.Tests.Kubernetes.Store;

/// <summary>A PersistentVolumeClaim refused as the API server refuses it: 422 Invalid, field paths and wording of <c>field.ErrorList</c>.</summary>
public sealed class ClaimValidationTests
{
    private readonly ObjectStore _store = new(new FakeClock());

    public ClaimValidationTests() => _store.Create(ResourceTypes.Namespaces, Obj("""{ "metadata": { "name": "team" } }"""));

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject Claim(string resources = """{ "requests": { "storage": "20Gi" } }""", string accessModes = """[ "ReadWriteOnce" ]""") => Obj($$"""
        { "metadata": { "name": "data", "namespace": "team" }, "spec": { "accessModes": {{accessModes}}, "storageClassName": "gp3", "resources": {{resources}} } }
        """);

    private StatusError Refused(JsonObject claim)
    {
        var error = Should.Throw<StatusError>(() => _store.Create(ResourceTypes.PersistentVolumeClaims, claim));
        (error.Code, error.Reason).ShouldBe((HttpStatusCode.UnprocessableEntity, "Invalid"));
        return error;
    }

    private static IEnumerable<string?> CauseFields(StatusError error) => J.Objects(error.Details?["causes"]).Select(c => J.Str(c, "field"));

    [Fact]
    public void Create_WithoutAStorageRequest_IsRequiredAtSpecResourcesStorage()
    {
        var error = Refused(Claim(resources: """{ "requests": { "cpu": "1" } }"""));

        error.Message.ShouldBe("PersistentVolumeClaim \"data\" is invalid: spec.resources[storage]: Required value");
        CauseFields(error).ShouldBe(["spec.resources[storage]"]);
        J.Str(error.Details, "kind").ShouldBe("PersistentVolumeClaim");
    }

    [Theory]
    [InlineData("20GB")]
    [InlineData("twenty")]
    [InlineData("1.5.5Gi")]
    public void Create_StorageThatIsNotAQuantity_IsInvalidWithTheQuantityGrammar(string storage)
    {
        var error = Refused(Claim(resources: $$"""{ "requests": { "storage": "{{storage}}" } }"""));

        error.Message.ShouldBe($"PersistentVolumeClaim \"data\" is invalid: spec.resources[storage]: Invalid value: \"{storage}\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
        CauseFields(error).ShouldBe(["spec.resources[storage]"]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1Gi")]
    public void Create_StorageNotAboveZero_IsInvalid(string storage)
    {
        var error = Refused(Claim(resources: $$"""{ "requests": { "storage": "{{storage}}" } }"""));

        error.Message.ShouldBe($"PersistentVolumeClaim \"data\" is invalid: spec.resources[storage]: Invalid value: \"{storage}\": must be greater than zero");
    }

    [Fact]
    public void Create_WithoutAccessModesOrWithAnUnknownOne_IsRefusedForEach()
    {
        Refused(Claim(accessModes: "[]")).Message.ShouldBe("PersistentVolumeClaim \"data\" is invalid: spec.accessModes: Required value: at least 1 access mode is required");

        var error = Refused(Claim(accessModes: """[ "ReadWriteOnce", "WriteOnly" ]""", resources: "{}"));

        error.Message.ShouldBe("PersistentVolumeClaim \"data\" is invalid: [spec.accessModes: Unsupported value: \"WriteOnly\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\", spec.resources[storage]: Required value]");
        CauseFields(error).ShouldBe(["spec.accessModes", "spec.resources[storage]"]);
    }

    [Fact]
    public void Update_ChangingTheStorageClass_IsForbiddenButBindingAndResizingAreNot()
    {
        var created = _store.Create(ResourceTypes.PersistentVolumeClaims, Claim());

        var bound = (JsonObject)created.DeepClone();
        bound["spec"]!["volumeName"] = "pvc-1";
        bound["spec"]!["resources"]!["requests"]!["storage"] = "30Gi";
        _store.Update(ResourceTypes.PersistentVolumeClaims, bound);

        var moved = (JsonObject)_store.Get(ResourceTypes.PersistentVolumeClaims, "team", "data")!.DeepClone();
        moved["spec"]!["storageClassName"] = "io2";
        var error = Should.Throw<StatusError>(() => _store.Update(ResourceTypes.PersistentVolumeClaims, moved));
        error.Message.ShouldBe("PersistentVolumeClaim \"data\" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");

        var rebound = (JsonObject)_store.Get(ResourceTypes.PersistentVolumeClaims, "team", "data")!.DeepClone();
        rebound["spec"]!["volumeName"] = "pvc-2";
        Should.Throw<StatusError>(() => _store.Update(ResourceTypes.PersistentVolumeClaims, rebound)).Reason.ShouldBe("Invalid", "a bound claim keeps its volume");
    }
}
