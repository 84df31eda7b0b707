using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Api;

/// <summary>The discovery documents clients read first: <c>/version</c>, <c>/api</c>, <c>/apis</c> and each group version.</summary>
internal static class Discovery
{
    public const string MetricsGroup = "metrics.k8s.io";
    public const string MetricsVersion = "v1beta1";

    private static readonly string[] AllVerbs = ["create", "delete", "get", "list", "patch", "update", "watch"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0-portal-sandbox",
        ["gitCommit"] = "portal-sandbox",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-11-01T00:00:00Z",
        ["goVersion"] = "n/a (Portal sandbox, .NET)",
        ["compiler"] = "dotnet",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. GroupNames().Select(g => (JsonNode)Group(g))]),
    };

    public static IEnumerable<string> GroupNames() =>
        ResourceTypes.GroupVersions.Select(gv => gv.Group).Where(g => g.Length > 0).Distinct().Append(MetricsGroup);

    public static JsonObject Group(string group)
    {
        var version = group == MetricsGroup ? MetricsVersion : ResourceTypes.GroupVersions.First(gv => gv.Group == group).Version;
        var gv = new JsonObject { ["groupVersion"] = $"{group}/{version}", ["version"] = version };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(gv),
            ["preferredVersion"] = gv.DeepClone(),
        };
    }

    public static JsonObject? Resources(string group, string version)
    {
        var resources = new JsonArray();
        if (group == MetricsGroup && version == MetricsVersion)
        {
            resources.Add(Resource("nodes", "", "NodeMetrics", false, ["get", "list"]));
            resources.Add(Resource("pods", "", "PodMetrics", true, ["get", "list"]));
        }
        else
        {
            var types = ResourceTypes.All.Where(t => t.Group == group && t.Version == version).ToList();
            if (types.Count == 0)
            {
                return null;
            }

            foreach (var t in types)
            {
                var r = Resource(t.Plural, t.Singular, t.Kind, t.Namespaced, AllVerbs);
                if (t.ShortNames.Length > 0)
                {
                    r["shortNames"] = new JsonArray([.. t.ShortNames.Select(s => (JsonNode)s)]);
                }

                if (t == ResourceTypes.Pods || t == ResourceTypes.Deployments)
                {
                    r["categories"] = new JsonArray("all");
                }

                resources.Add(r);
                if (t == ResourceTypes.Pods)
                {
                    resources.Add(Resource("pods/log", "", "Pod", true, ["get"]));
                }

                if (t == ResourceTypes.Deployments || t == ResourceTypes.ReplicaSets)
                {
                    var scale = Resource($"{t.Plural}/scale", "", "Scale", true, ["get", "patch", "update"]);
                    scale["group"] = "autoscaling";
                    scale["version"] = "v1";
                    resources.Add(scale);
                }
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject Resource(string name, string singular, string kind, bool namespaced, string[] verbs) => new()
    {
        ["name"] = name,
        ["singularName"] = singular,
        ["namespaced"] = namespaced,
        ["kind"] = kind,
        ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
    };
}
