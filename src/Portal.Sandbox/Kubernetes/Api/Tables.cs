using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Kubernetes.Model;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Api;

/// <summary>
/// Server-side printing: the <c>meta.k8s.io/v1 Table</c> that <c>kubectl get</c> asks for, with the columns the
/// real API server prints for each kind (and Name, Age for the rest).
/// </summary>
internal static class Tables
{
    public static JsonObject Build(ResourceType type, IEnumerable<JsonObject> items, long revision, string? continueToken, DateTimeOffset now)
    {
        var (columns, cells) = Columns(type, now);
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var meta = (JsonObject)J.Meta(item).DeepClone();
            meta.Remove("managedFields");
            rows.Add(new JsonObject
            {
                ["cells"] = new JsonArray([.. cells(item)]),
                ["object"] = new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = meta },
            });
        }

        var listMeta = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (continueToken is not null)
        {
            listMeta["continue"] = continueToken;
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = listMeta,
            ["columnDefinitions"] = new JsonArray([.. columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Name == "Name" ? "name" : "",
                ["description"] = c.Name,
                ["priority"] = c.Priority,
            })]),
            ["rows"] = rows,
        };
    }

    private static ((string Name, string Type, int Priority)[] Columns, Func<JsonObject, JsonNode?[]> Cells) Columns(ResourceType type, DateTimeOffset now)
    {
        string Age(JsonObject o) => J.ParseTime(J.Str(o, "metadata", "creationTimestamp")) is { } t ? HumanDuration.Format(now - t) : "<unknown>";
        string N(JsonObject o, params string[] path) => (J.Long(o, path) ?? 0).ToString(CultureInfo.InvariantCulture);

        if (type == ResourceTypes.Pods)
        {
            return ([("Name", "string", 0), ("Ready", "string", 0), ("Status", "string", 0), ("Restarts", "string", 0), ("Age", "string", 0), ("IP", "string", 1), ("Node", "string", 1)],
                o =>
                {
                    var summary = PodSummary.Of(JsonSerializer.Deserialize(o.ToJsonString(), KubernetesJson.Default.Pod)!);
                    return [J.Name(o), summary.Ready, summary.Status, summary.RestartsText(now), Age(o), J.Str(o, "status", "podIP") ?? "<none>", J.Str(o, "spec", "nodeName") ?? "<none>"];
                });
        }

        if (type == ResourceTypes.Deployments)
        {
            return ([("Name", "string", 0), ("Ready", "string", 0), ("Up-to-date", "integer", 0), ("Available", "integer", 0), ("Age", "string", 0), ("Containers", "string", 1), ("Images", "string", 1)],
                o => [J.Name(o), $"{N(o, "status", "readyReplicas")}/{J.Long(o, "spec", "replicas") ?? 1}", J.Long(o, "status", "updatedReplicas") ?? 0, J.Long(o, "status", "availableReplicas") ?? 0, Age(o),
                    string.Join(",", J.Objects(J.At(o, "spec", "template", "spec", "containers")).Select(c => J.Str(c, "name"))),
                    string.Join(",", J.Objects(J.At(o, "spec", "template", "spec", "containers")).Select(c => J.Str(c, "image")))]);
        }

        if (type == ResourceTypes.ReplicaSets)
        {
            return ([("Name", "string", 0), ("Desired", "integer", 0), ("Current", "integer", 0), ("Ready", "integer", 0), ("Age", "string", 0)],
                o => [J.Name(o), J.Long(o, "spec", "replicas") ?? 1, J.Long(o, "status", "replicas") ?? 0, J.Long(o, "status", "readyReplicas") ?? 0, Age(o)]);
        }

        if (type == ResourceTypes.Nodes)
        {
            return ([("Name", "string", 0), ("Status", "string", 0), ("Roles", "string", 0), ("Age", "string", 0), ("Version", "string", 0)],
                o =>
                {
                    var ready = J.Objects(J.At(o, "status", "conditions")).FirstOrDefault(c => J.Str(c, "type") == "Ready");
                    var status = J.Str(ready, "status") == "True" ? "Ready" : "NotReady";
                    if (J.Bool(o, "spec", "unschedulable") ?? false)
                    {
                        status += ",SchedulingDisabled";
                    }

                    var roles = J.Labels(o).Keys.Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal)).Select(k => k["node-role.kubernetes.io/".Length..]).ToList();
                    return [J.Name(o), status, roles.Count == 0 ? "<none>" : string.Join(",", roles), Age(o), J.Str(o, "status", "nodeInfo", "kubeletVersion")];
                });
        }

        if (type == ResourceTypes.Namespaces)
        {
            return ([("Name", "string", 0), ("Status", "string", 0), ("Age", "string", 0)], o => [J.Name(o), J.Str(o, "status", "phase"), Age(o)]);
        }

        if (type == ResourceTypes.Services)
        {
            return ([("Name", "string", 0), ("Type", "string", 0), ("Cluster-IP", "string", 0), ("External-IP", "string", 0), ("Port(s)", "string", 0), ("Age", "string", 0)],
                o => [J.Name(o), J.Str(o, "spec", "type") ?? "ClusterIP", J.Str(o, "spec", "clusterIP") ?? "<none>", ExternalIp(o),
                    string.Join(",", J.Objects(J.At(o, "spec", "ports")).Select(p => J.Long(p, "nodePort") is { } node
                        ? $"{J.Long(p, "port")}:{node}/{J.Str(p, "protocol") ?? "TCP"}"
                        : $"{J.Long(p, "port")}/{J.Str(p, "protocol") ?? "TCP"}")), Age(o)]);
        }

        if (type == ResourceTypes.PersistentVolumeClaims)
        {
            return ([("Name", "string", 0), ("Status", "string", 0), ("Volume", "string", 0), ("Capacity", "string", 0), ("Access Modes", "string", 0),
                     ("StorageClass", "string", 0), ("VolumeAttributesClass", "string", 0), ("Age", "string", 0), ("VolumeMode", "string", 1)],
                o =>
                {
                    // As kubectl's printer: capacity and access modes only once the claim has a volume.
                    var bound = !string.IsNullOrEmpty(J.Str(o, "spec", "volumeName"));
                    return [J.Name(o), J.IsTerminating(o) ? "Terminating" : J.Str(o, "status", "phase") ?? "", J.Str(o, "spec", "volumeName") ?? "",
                        bound ? J.Str(o, "status", "capacity", "storage") ?? "" : "", bound ? AccessModes(J.At(o, "status", "accessModes")) : "",
                        J.Str(o, "spec", "storageClassName") ?? "", J.Str(o, "spec", "volumeAttributesClassName") ?? "<unset>", Age(o),
                        J.Str(o, "spec", "volumeMode") ?? "<unset>"];
                });
        }

        if (type == ResourceTypes.Events)
        {
            return ([("Last Seen", "string", 0), ("Type", "string", 0), ("Reason", "string", 0), ("Object", "string", 0), ("Message", "string", 0)],
                o => [J.ParseTime(J.Str(o, "lastTimestamp")) is { } t ? HumanDuration.Format(now - t) : "<unknown>", J.Str(o, "type"), J.Str(o, "reason"),
                    $"{J.Str(o, "involvedObject", "kind")?.ToLowerInvariant()}/{J.Str(o, "involvedObject", "name")}", J.Str(o, "message")]);
        }

        if (type == ResourceTypes.Secrets || type == ResourceTypes.ConfigMaps)
        {
            return type == ResourceTypes.Secrets
                ? ([("Name", "string", 0), ("Type", "string", 0), ("Data", "integer", 0), ("Age", "string", 0)], o => [J.Name(o), J.Str(o, "type") ?? "Opaque", (J.At(o, "data") as JsonObject)?.Count ?? 0, Age(o)])
                : ([("Name", "string", 0), ("Data", "integer", 0), ("Age", "string", 0)], o => [J.Name(o), (J.At(o, "data") as JsonObject)?.Count ?? 0, Age(o)]);
        }

        return ([("Name", "string", 0), ("Age", "string", 0)], o => [J.Name(o), Age(o)]);
    }

    /// <summary>kubectl's External-IP: a load balancer's addresses once the cloud gave them, <c>&lt;pending&gt;</c> until then.</summary>
    private static string ExternalIp(JsonObject service)
    {
        var external = J.At(service, "spec", "externalIPs") is JsonArray ips ? ips.Select(ip => ip?.GetValue<string>() ?? "").ToList() : [];
        if (J.Str(service, "spec", "type") == "LoadBalancer")
        {
            external.AddRange(J.Objects(J.At(service, "status", "loadBalancer", "ingress")).Select(i => J.Str(i, "ip") ?? J.Str(i, "hostname") ?? ""));
            return external.Count == 0 ? "<pending>" : string.Join(",", external);
        }

        return external.Count == 0 ? "<none>" : string.Join(",", external);
    }

    /// <summary>The short forms kubectl prints (<c>RWO,ROX</c>), in the order it does.</summary>
    private static string AccessModes(JsonNode? modes)
    {
        var given = modes is JsonArray list ? list.Select(m => m?.GetValue<string>()).ToHashSet() : [];
        return string.Join(",", new[] { ("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP") }
            .Where(m => given.Contains(m.Item1)).Select(m => m.Item2));
    }
}
