using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Api;

/// <summary>
/// Server-side field validation (<c>?fieldValidation=Strict|Warn|Ignore</c>, Strict by default for kubectl): unknown
/// fields at the top level, in metadata and in containers (where typos hurt most) are refused, warned about or
/// ignored, with the API server's wording.
/// </summary>
internal static class FieldValidation
{
    private static readonly HashSet<string> Metadata =
        ["name", "generateName", "namespace", "labels", "annotations", "ownerReferences", "finalizers", "uid", "resourceVersion", "generation",
         "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink"];

    private static readonly HashSet<string> Container =
        ["name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources", "resizePolicy", "restartPolicy", "volumeMounts", "volumeDevices",
         "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy",
         "securityContext", "stdin", "stdinOnce", "tty"];

    private static readonly Dictionary<string, HashSet<string>> TopLevel = new(StringComparer.Ordinal)
    {
        ["ConfigMap"] = ["apiVersion", "kind", "metadata", "data", "binaryData", "immutable"],
        ["Secret"] = ["apiVersion", "kind", "metadata", "data", "stringData", "type", "immutable"],
        ["RoleBinding"] = ["apiVersion", "kind", "metadata", "roleRef", "subjects"],
        ["Event"] = ["apiVersion", "kind", "metadata", "involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "type",
                     "eventTime", "series", "action", "related", "reportingComponent", "reportingInstance"],
    };

    private static readonly HashSet<string> Default = ["apiVersion", "kind", "metadata", "spec", "status"];

    /// <summary>Throws 400 under Strict; returns the warnings under Warn (sent as <c>Warning</c> headers).</summary>
    public static void Check(HttpContext http, ResourceType type, JsonObject obj)
    {
        var directive = http.Request.Query["fieldValidation"].ToString();
        if (directive is "" or "Ignore")
        {
            return;
        }

        var unknown = new List<string>();
        var top = TopLevel.GetValueOrDefault(type.Kind) ?? Default;
        unknown.AddRange(obj.Select(kv => kv.Key).Where(k => !top.Contains(k)));
        if (obj["metadata"] is JsonObject meta)
        {
            unknown.AddRange(meta.Select(kv => kv.Key).Where(k => !Metadata.Contains(k)).Select(k => $"metadata.{k}"));
        }

        var podSpec = type == ResourceTypes.Pods ? J.At(obj, "spec") : J.At(obj, "spec", "template", "spec");
        var prefix = type == ResourceTypes.Pods ? "spec" : "spec.template.spec";
        var i = 0;
        foreach (var container in J.Objects(J.At(podSpec, "containers")))
        {
            unknown.AddRange(container.Select(kv => kv.Key).Where(k => !Container.Contains(k)).Select(k => $"{prefix}.containers[{i}].{k}"));
            i++;
        }

        if (unknown.Count == 0)
        {
            return;
        }

        if (directive == "Strict")
        {
            throw StatusError.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""))}");
        }

        foreach (var u in unknown)
        {
            http.Response.Headers.Append("Warning", $"299 - \"unknown field \\\"{u}\\\"\"");
        }
    }
}
