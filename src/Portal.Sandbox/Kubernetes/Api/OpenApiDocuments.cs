using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Api;

/// <summary>
/// OpenAPI documents. v3 per group version, as the API server publishes them under <c>/openapi/v3</c>: each
/// operation carries <c>x-kubernetes-group-version-kind</c> and its query parameters, so clients (kubectl's
/// validation) see that the server validates fields itself (<c>fieldValidation</c>) and send it the manifest.
/// Schemas of the objects are not published; validation happens on the server.
/// </summary>
internal static class OpenApiDocuments
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/openapi/v2", V2);
        app.MapGet("/swagger-2.0.0.pb-v1", V2);
        app.MapGet("/openapi/v3", (HttpContext http) => KubeApiHandler.WriteAsync(http, HttpStatusCode.OK, Root()));
        app.MapGet("/openapi/v3/api/{version}", (string version, HttpContext http) => Document(http, "", version));
        app.MapGet("/openapi/v3/apis/{group}/{version}", (string group, string version, HttpContext http) => Document(http, group, version));
    }

    /// <summary>
    /// The OpenAPI v2 document: Swagger 2.0 with no definitions. kubectl validates a manifest against the definition
    /// of its kind and skips kinds the document does not describe, so it sends manifests on for the server to check
    /// (ObjectValidation, FieldValidation); for patches it falls back to its built-in types. As protobuf (gnostic's
    /// openapi_v2.Document) when asked, else JSON.
    /// </summary>
    private static Task V2(HttpContext http)
    {
        if (http.Request.Headers.Accept.ToString().Contains("protobuf", StringComparison.Ordinal))
        {
            // Asked for with gnostic's media type, answered as application/octet-stream, as the API server does (Go's
            // mime parser, in kubectl, rejects the "@" in the requested type).
            http.Response.ContentType = "application/octet-stream";
            return http.Response.Body.WriteAsync(V2Protobuf).AsTask();
        }

        return KubeApiHandler.WriteAsync(http, HttpStatusCode.OK, new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = new JsonObject(),
        });
    }

    /// <summary>Document { swagger = "2.0" (1); info = Info { title (1), version (2) } (2); paths = Paths {} (8) }.</summary>
    internal static readonly byte[] V2Protobuf = BuildV2Protobuf();

    private static byte[] BuildV2Protobuf()
    {
        static byte[] Field(int number, byte[] value) => [(byte)((number << 3) | 2), (byte)value.Length, .. value];
        static byte[] Text(string s) => System.Text.Encoding.UTF8.GetBytes(s);
        byte[] info = [.. Field(1, Text("Kubernetes")), .. Field(2, Text("v1.32.0"))];
        return [.. Field(1, Text("2.0")), .. Field(2, info), .. Field(8, [])];
    }

    private static JsonObject Root()
    {
        var paths = new JsonObject();
        foreach (var (group, version) in ResourceTypes.GroupVersions)
        {
            var key = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(group, version)}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    private static Task Document(HttpContext http, string group, string version)
    {
        var types = ResourceTypes.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return KubeApiHandler.WriteAsync(http, HttpStatusCode.NotFound, StatusError.Status(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource"));
        }

        var paths = new JsonObject();
        foreach (var type in types)
        {
            var prefix = (group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}") + (type.Namespaced ? "/namespaces/{namespace}" : "");
            paths[$"{prefix}/{type.Plural}"] = new JsonObject
            {
                ["get"] = Operation(type, "list", ["labelSelector", "fieldSelector", "limit", "continue", "resourceVersion", "watch", "allowWatchBookmarks", "timeoutSeconds"]),
                ["post"] = Operation(type, "create", ["dryRun", "fieldManager", "fieldValidation"]),
            };
            paths[$"{prefix}/{type.Plural}/{{name}}"] = new JsonObject
            {
                ["get"] = Operation(type, "read", []),
                ["put"] = Operation(type, "replace", ["dryRun", "fieldManager", "fieldValidation"]),
                ["patch"] = Operation(type, "patch", ["dryRun", "fieldManager", "fieldValidation", "force"]),
                ["delete"] = Operation(type, "delete", ["dryRun", "gracePeriodSeconds", "propagationPolicy"]),
            };
        }

        var body = new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
        };
        http.Response.Headers.ETag = $"\"{Hash(group, version)}\"";
        return KubeApiHandler.WriteAsync(http, HttpStatusCode.OK, body);
    }

    private static JsonObject Operation(ResourceType type, string verb, string[] parameters) => new()
    {
        ["description"] = $"{verb} the specified {type.Kind}",
        ["operationId"] = $"{verb}{type.Kind}",
        ["x-kubernetes-action"] = verb switch { "read" => "get", "replace" => "put", _ => verb },
        ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
        ["parameters"] = new JsonArray([.. parameters.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p,
            ["in"] = "query",
            ["schema"] = new JsonObject { ["type"] = p is "limit" or "timeoutSeconds" or "gracePeriodSeconds" ? "integer" : p is "watch" or "allowWatchBookmarks" or "force" ? "boolean" : "string", ["uniqueItems"] = true },
        })]),
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
    };

    private static string Hash(string group, string version) =>
        Runtime.SimulatedWorkload.Hash(group, version, "openapi-v1").ToString("X16", System.Globalization.CultureInfo.InvariantCulture);
}
