using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Sandbox.Kubernetes;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;
using Portal.Testing;

namespace Portal.Sandbox.Tests.Kubernetes.Api;

/// <summary>The REST verbs over HTTPS, for what only the wire shows: status codes, Status bodies, content types, query options.</summary>
public sealed class KubeApiHandlerTests : IAsyncLifetime
{
    private const string Ns = "team";
    private readonly TempDirectory _dir = new("sandbox-api");
    private SandboxCluster _cluster = default!;
    private HttpClient _http = default!;

    public async Task InitializeAsync()
    {
        _cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions(_dir.Path) { Port = 0, Timings = SandboxTimings.Fast, Seed = false, HistoryCapacity = 3 }, NullLoggerFactory.Instance);
        _cluster.Store.Create(ResourceTypes.Namespaces, JsonNode.Parse($$"""{ "metadata": { "name": "{{Ns}}" } }""")!.AsObject());
        var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(_dir.File("ca.crt")));
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build((X509Certificate2)certificate!);
                },
            },
        };
        _http = new HttpClient(handler) { BaseAddress = _cluster.Server };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(_dir.File("token"))).Trim());
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
        _dir.Dispose();
    }

    private static StringContent Body(string text, string contentType) => new(text, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType));

    private async Task<(HttpStatusCode Code, JsonObject Body)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Body(body, contentType) };
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private Task<(HttpStatusCode Code, JsonObject Body)> CreateConfigMapAsync(string query = "", string extra = "") =>
        SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{Ns}/configmaps{query}", $$"""{ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "settings" {{extra}} }, "data": { "mode": "a" } }""");

    [Fact]
    public async Task Request_WithoutTheToken_IsUnauthorized()
    {
        using var anonymous = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces");
        anonymous.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");

        using var response = await _http.SendAsync(anonymous);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        (J.Str(status, "kind"), J.Str(status, "reason"), J.Long(status, "code")).ShouldBe(("Status", "Unauthorized", 401L));
    }

    [Fact]
    public async Task Create_Returns201AndTheStoredObject()
    {
        var (code, body) = await CreateConfigMapAsync();

        code.ShouldBe(HttpStatusCode.Created);
        J.Str(body, "metadata", "namespace").ShouldBe(Ns, "the namespace comes from the URL");
        J.Uid(body).ShouldNotBeNullOrEmpty();
        J.Str(J.At(body, "metadata", "managedFields")?[0], "operation").ShouldBe("Update");
    }

    [Fact]
    public async Task Create_DryRun_ChangesNothing()
    {
        var (code, _) = await CreateConfigMapAsync("?dryRun=All");

        code.ShouldBe(HttpStatusCode.Created);
        _cluster.Store.Get(ResourceTypes.ConfigMaps, Ns, "settings").ShouldBeNull();
    }

    [Fact]
    public async Task Create_StrictFieldValidation_RefusesUnknownFields()
    {
        var (code, body) = await CreateConfigMapAsync("?fieldValidation=Strict", """, "labelz": { "a": "b" }""");

        code.ShouldBe(HttpStatusCode.BadRequest);
        J.Str(body, "message").ShouldBe("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"metadata.labelz\"");
    }

    [Fact]
    public async Task Create_InAnotherNamespaceThanTheUrl_IsABadRequest()
    {
        var (code, body) = await CreateConfigMapAsync(extra: """, "namespace": "elsewhere" """);

        code.ShouldBe(HttpStatusCode.BadRequest);
        J.Str(body, "message").ShouldBe("the namespace of the provided object does not match the namespace sent on the request");
    }

    [Fact]
    public async Task Patch_JsonPatchWithAFailingTest_Is422AndChangesNothing()
    {
        await CreateConfigMapAsync();

        var (code, body) = await SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{Ns}/configmaps/settings",
            """[ { "op": "replace", "path": "/data/mode", "value": "b" }, { "op": "test", "path": "/data/mode", "value": "a" } ]""", "application/json-patch+json");

        code.ShouldBe(HttpStatusCode.UnprocessableEntity);
        J.Str(body, "reason").ShouldBe("Invalid");
        J.Str(_cluster.Store.Get(ResourceTypes.ConfigMaps, Ns, "settings"), "data", "mode").ShouldBe("a");
    }

    [Fact]
    public async Task Patch_StaleResourceVersionInAMergePatch_IsAConflict()
    {
        var (_, created) = await CreateConfigMapAsync();
        await SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{Ns}/configmaps/settings", """{ "data": { "mode": "b" } }""", "application/merge-patch+json");

        var (code, body) = await SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{Ns}/configmaps/settings",
            $$"""{ "metadata": { "resourceVersion": "{{J.Str(created, "metadata", "resourceVersion")}}" }, "data": { "mode": "c" } }""", "application/merge-patch+json");

        code.ShouldBe(HttpStatusCode.Conflict);
        J.Str(body, "reason").ShouldBe("Conflict");
    }

    [Fact]
    public async Task Patch_UnknownPatchType_IsUnsupportedMediaType()
    {
        await CreateConfigMapAsync();

        var (code, _) = await SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{Ns}/configmaps/settings", "{}", "text/plain");

        code.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("/api/v1/namespaces/team/serviceaccounts")]
    [InlineData("/api/v1/namespaces/team/pods/p/exec")]
    [InlineData("/apis/apps/v1/namespaces/team/statefulsets")]
    [InlineData("/apis/batch/v1/jobs")]
    public async Task Get_ResourceTheSandboxDoesNotServe_IsNotFound(string path)
    {
        var (code, body) = await SendAsync(HttpMethod.Get, path);

        code.ShouldBe(HttpStatusCode.NotFound);
        J.Str(body, "message").ShouldBe("the server could not find the requested resource");
    }

    [Fact]
    public async Task Post_ToALog_IsNotAllowed()
    {
        var (code, _) = await SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{Ns}/pods/p/log", "{}");

        code.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Watch_FromAVersionTooOld_Answers200WithOneErrorEvent()
    {
        var from = _cluster.Store.Revision;
        for (var i = 0; i < 5; i++)
        {
            _cluster.Store.Create(ResourceTypes.Secrets, JsonNode.Parse($$"""{ "metadata": { "name": "s-{{i}}", "namespace": "{{Ns}}" } }""")!.AsObject());
        }

        var (code, body) = await SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{Ns}/configmaps?watch=true&resourceVersion={from}");

        code.ShouldBe(HttpStatusCode.OK);
        J.Str(body, "type").ShouldBe("ERROR");
        (J.Str(body, "object", "reason"), J.Long(body, "object", "code")).ShouldBe(("Expired", 410L));
    }

    [Fact]
    public async Task List_AsTable_HasThePrintColumnsKubectlShows()
    {
        await CreateConfigMapAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{Ns}/configmaps");
        request.Headers.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");

        using var response = await _http.SendAsync(request);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        J.Str(table, "kind").ShouldBe("Table");
        J.Objects(table["columnDefinitions"]).Select(c => J.Str(c, "name")).ShouldBe(["Name", "Data", "Age"]);
        var row = J.Objects(table["rows"]).ShouldHaveSingleItem();
        row["cells"]!.AsArray().Select(c => c!.ToString()).Take(2).ShouldBe(["settings", "1"]);
        J.Str(row, "object", "kind").ShouldBe("PartialObjectMetadata");
    }

    [Fact]
    public async Task OpenApiV2_AsProtobuf_IsAnEmptySwaggerDocumentSoKubectlLeavesValidationToTheServer()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        request.Headers.TryAddWithoutValidation("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");

        using var response = await _http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/octet-stream");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        // Document.swagger (field 1) = "2.0", Document.info (field 2) { title = "Kubernetes", version }, Document.paths (field 8) empty.
        bytes[..5].ShouldBe(new byte[] { 0x0A, 3, (byte)'2', (byte)'.', (byte)'0' });
        bytes[5].ShouldBe((byte)0x12);
        Encoding.UTF8.GetString(bytes, 7, bytes[6]).ShouldBe("\n\nKubernetes\u0012\av1.32.0");
        bytes[^2..].ShouldBe(new byte[] { 0x42, 0 });
    }

    [Fact]
    public async Task OpenApiV2_AsJson_DescribesNoDefinitions()
    {
        var doc = JsonNode.Parse(await _http.GetStringAsync(new Uri("/openapi/v2", UriKind.Relative)))!;

        doc["swagger"]!.GetValue<string>().ShouldBe("2.0");
        doc["definitions"].ShouldBeNull();
    }

    private Task<(HttpStatusCode Code, JsonObject Body)> CreateClaimAsync(string storage = "20Gi") =>
        SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{Ns}/persistentvolumeclaims", $$"""
            { "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": { "name": "orders-db-data" },
              "spec": { "accessModes": [ "ReadWriteOnce" ], "storageClassName": "gp3", "resources": { "requests": { "storage": "{{storage}}" } } },
              "status": { "phase": "Bound", "capacity": { "storage": "1Ti" } } }
            """);

    private async Task<JsonObject> BoundClaimAsync(string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (_cluster.Store.Get(ResourceTypes.PersistentVolumeClaims, Ns, name) is not { } claim || J.Str(claim, "status", "phase") != "Bound")
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"claim {name} was never bound");
            }

            await Task.Delay(20);
        }

        return (await SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{Ns}/persistentvolumeclaims/{name}")).Body;
    }

    private async Task<JsonNode> TableAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");
        using var response = await _http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static string[] Cells(JsonNode row) => [.. row["cells"]!.AsArray().Select(c => c!.ToString())];

    [Fact]
    public async Task Create_Claim_StartsPendingWhateverStatusItWasSent_ThenIsBoundToAVolumeOfItsSize()
    {
        var (code, created) = await CreateClaimAsync();

        code.ShouldBe(HttpStatusCode.Created);
        J.Str(created, "status", "phase").ShouldBe("Pending", "status belongs to the cluster, as with the real status subresource");
        J.Str(created, "spec", "volumeMode").ShouldBe("Filesystem", "the API's default");
        var bound = await BoundClaimAsync("orders-db-data");
        J.Str(bound, "spec", "volumeName").ShouldBe($"pvc-{J.Uid(created)}");
        J.Str(bound, "status", "capacity", "storage").ShouldBe("20Gi");
    }

    [Fact]
    public async Task Create_ClaimWithAnInvalidStorageRequest_Is422InvalidNamingTheField()
    {
        var (code, status) = await CreateClaimAsync(storage: "20GB");

        code.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (J.Str(status, "kind"), J.Str(status, "reason"), J.Long(status, "code")).ShouldBe(("Status", "Invalid", 422L));
        J.Str(status, "message").ShouldStartWith("PersistentVolumeClaim \"orders-db-data\" is invalid: spec.resources[storage]: Invalid value: \"20GB\": quantities must match");
        var cause = J.Objects(J.At(status, "details", "causes")).ShouldHaveSingleItem();
        (J.Str(cause, "reason"), J.Str(cause, "field")).ShouldBe(("FieldValueInvalid", "spec.resources[storage]"));
        _cluster.Store.Get(ResourceTypes.PersistentVolumeClaims, Ns, "orders-db-data").ShouldBeNull();
    }

    [Fact]
    public async Task List_ClaimsAsTable_HasThePrintColumnsKubectlShows()
    {
        var (_, created) = await CreateClaimAsync();
        await BoundClaimAsync("orders-db-data");

        var table = await TableAsync($"/api/v1/namespaces/{Ns}/persistentvolumeclaims");

        J.Objects(table["columnDefinitions"]).Select(c => (J.Str(c, "name"), J.Long(c, "priority"))).ShouldBe([
            ("Name", 0L), ("Status", 0L), ("Volume", 0L), ("Capacity", 0L), ("Access Modes", 0L), ("StorageClass", 0L), ("VolumeAttributesClass", 0L), ("Age", 0L), ("VolumeMode", 1L)]);
        var cells = Cells(J.Objects(table["rows"]).ShouldHaveSingleItem());
        cells.ShouldBe(["orders-db-data", "Bound", $"pvc-{J.Uid(created)}", "20Gi", "RWO", "gp3", "<unset>", cells[7], "Filesystem"]);
        cells[7].ShouldMatch("^[0-9]+s$");
    }

    [Fact]
    public async Task List_LoadBalancerServicesAsTable_ShowTheirAddressOnceTheCloudGaveOneAndTheirNodePorts()
    {
        _cluster.Store.Create(ResourceTypes.Services, JsonNode.Parse($$"""
            { "metadata": { "name": "public", "namespace": "{{Ns}}" },
              "spec": { "type": "LoadBalancer", "clusterIP": "10.96.0.20", "ports": [ { "port": 443, "nodePort": 31443, "protocol": "TCP" } ] },
              "status": { "loadBalancer": { "ingress": [ { "hostname": "lb-1.elb.eu-west-1.amazonaws.com" } ] } } }
            """)!.AsObject());
        await SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{Ns}/services", """
            { "apiVersion": "v1", "kind": "Service", "metadata": { "name": "waiting" }, "spec": { "type": "LoadBalancer", "ports": [ { "port": 80, "nodePort": 30080 } ] } }
            """);

        var rows = J.Objects((await TableAsync($"/api/v1/namespaces/{Ns}/services"))["rows"]).Select(Cells).ToDictionary(c => c[0]);

        rows["public"][1..5].ShouldBe(["LoadBalancer", "10.96.0.20", "lb-1.elb.eu-west-1.amazonaws.com", "443:31443/TCP"]);
        rows["waiting"][3..5].ShouldBe(["<pending>", "80:30080/TCP"]);
    }

    [Fact]
    public async Task Discovery_CoreV1_ServesPersistentVolumeClaimsAsKubectlFindsThem()
    {
        var (code, list) = await SendAsync(HttpMethod.Get, "/api/v1");

        code.ShouldBe(HttpStatusCode.OK);
        var pvc = J.Objects(list["resources"]).Single(r => J.Str(r, "name") == "persistentvolumeclaims");
        (J.Str(pvc, "kind"), J.Str(pvc, "singularName"), J.Bool(pvc, "namespaced")).ShouldBe(("PersistentVolumeClaim", "persistentvolumeclaim", true));
        pvc["shortNames"]!.AsArray().Select(s => s!.GetValue<string>()).ShouldBe(["pvc"]);
    }
}
