using System.Text.Json.Nodes;
using Portal.Core.Authorization;
using RoleBinding = Portal.Core.Authorization.RoleBinding;
using Portal.Core.Environments;
using Portal.Core.Provisioning;
using Portal.Kubernetes.Model;

namespace Portal.Kubernetes.Provisioning;

/// <summary>One object of an environment as JSON, with where it goes.</summary>
public sealed record EnvironmentObject(string Part, string ApiVersion, string Kind, string? Namespace, string Name, JsonObject Body);

/// <summary>
/// What an environment is made of on its cluster, rendered from the environment record: the namespace with its
/// labels, quota, limits, one RoleBinding per Portal role, network isolation, and the tier's extra manifests.
/// </summary>
public sealed class EnvironmentManifests(ProvisioningOptions options, ManifestTemplates templates, EnvironmentPolicyOptions policy)
{
    public const string ManagedBy = "portal";
    public const string EnvironmentLabel = "portal.dev/environment";

    public IReadOnlyList<EnvironmentObject> Render(PortalEnvironment environment, IReadOnlyList<RoleBinding> bindings, string? part = null) =>
        [.. (part is null ? ProvisioningParts.All : [part]).SelectMany(p => p switch
        {
            ProvisioningParts.Namespace => [Namespace(environment)],
            ProvisioningParts.ResourceQuota => [Quota(environment)],
            ProvisioningParts.LimitRange => [Limits(environment)],
            ProvisioningParts.RoleBindings => RoleBindings(environment, bindings),
            ProvisioningParts.NetworkPolicies => NetworkPolicies(environment),
            ProvisioningParts.ExtraManifests => Extra(environment),
            _ => throw new ArgumentException($"'{p}' is not a part of an environment.", nameof(part)),
        })];

    public JsonObject Labels(PortalEnvironment environment)
    {
        var labels = new JsonObject
        {
            ["app.kubernetes.io/managed-by"] = ManagedBy,
            ["portal.dev/environment"] = environment.Name,
            ["portal.dev/tier"] = environment.Tier.ToWire(),
            ["portal.dev/team"] = LabelValue.From(environment.OwningTeam),
            ["portal.dev/cost-centre"] = LabelValue.From(environment.CostCentre),
        };
        foreach (var (key, value) in environment.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            labels[key] = value;
        }

        return labels;
    }

    private EnvironmentObject Namespace(PortalEnvironment e) => new(ProvisioningParts.Namespace, "v1", "Namespace", null, e.Namespace, new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject
        {
            ["name"] = e.Namespace,
            ["labels"] = Labels(e),
            ["annotations"] = new JsonObject { ["portal.dev/display-name"] = e.DisplayName, ["portal.dev/created-by"] = e.CreatedBy },
        },
    });

    private EnvironmentObject Quota(PortalEnvironment e)
    {
        var quota = e.Quota.IsSet ? e.Quota : new EnvironmentQuota(policy.For(e.Tier).Quota.Cpu, policy.For(e.Tier).Quota.Memory, policy.For(e.Tier).Quota.Pods);
        return Namespaced(e, ProvisioningParts.ResourceQuota, "v1", "ResourceQuota", "portal-quota", new JsonObject
        {
            ["hard"] = new JsonObject
            {
                ["requests.cpu"] = quota.Cpu,
                ["requests.memory"] = quota.Memory,
                ["pods"] = quota.Pods.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        });
    }

    private EnvironmentObject Limits(PortalEnvironment e)
    {
        var c = policy.For(e.Tier).Containers;
        return Namespaced(e, ProvisioningParts.LimitRange, "v1", "LimitRange", "portal-limits", new JsonObject
        {
            ["limits"] = new JsonArray(new JsonObject
            {
                ["type"] = "Container",
                ["default"] = new JsonObject { ["cpu"] = c.CpuLimit, ["memory"] = c.MemoryLimit },
                ["defaultRequest"] = new JsonObject { ["cpu"] = c.CpuRequest, ["memory"] = c.MemoryRequest },
                ["max"] = new JsonObject { ["cpu"] = c.MaxCpu, ["memory"] = c.MaxMemory },
            }),
        });
    }

    /// <summary>One RoleBinding per mapped role, every one rendered (an empty one revokes), so applying them is a full sync.</summary>
    private IEnumerable<EnvironmentObject> RoleBindings(PortalEnvironment e, IReadOnlyList<RoleBinding> bindings) =>
        (e.Tier.IsProtected() ? options.ProtectedClusterRoles : options.ClusterRoles).OrderBy(r => Roles.Find(r.Key)?.Rank ?? 0).Select(mapping =>
        {
            var subjects = new JsonArray([.. bindings
                .Where(b => b.Role == mapping.Key && b.Scope.Kind == BindingScopeKind.Environment && b.Scope.Value == e.Name)
                .OrderBy(b => b.SubjectKind).ThenBy(b => b.Subject, StringComparer.Ordinal)
                .Select(b => (JsonNode)new JsonObject
                {
                    ["kind"] = b.SubjectKind == SubjectKind.User ? "User" : "Group",
                    ["apiGroup"] = "rbac.authorization.k8s.io",
                    ["name"] = b.Subject,
                })]);
            var name = "portal-" + mapping.Key.ToLowerInvariant();
            return new EnvironmentObject(ProvisioningParts.RoleBindings, "rbac.authorization.k8s.io/v1", "RoleBinding", e.Namespace, name, new JsonObject
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "RoleBinding",
                ["metadata"] = Metadata(e, name),
                ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = mapping.Value },
                ["subjects"] = subjects,
            });
        });

    /// <summary>Deny all ingress, then allow the environment's own pods and the ingress controller: environments are isolated from each other.</summary>
    private IEnumerable<EnvironmentObject> NetworkPolicies(PortalEnvironment e)
    {
        yield return Policy(e, "portal-default-deny", new JsonObject { ["podSelector"] = new JsonObject(), ["policyTypes"] = new JsonArray("Ingress") });
        yield return Policy(e, "portal-allow-same-environment", new JsonObject
        {
            ["podSelector"] = new JsonObject(),
            ["policyTypes"] = new JsonArray("Ingress"),
            ["ingress"] = new JsonArray(new JsonObject { ["from"] = new JsonArray(new JsonObject { ["podSelector"] = new JsonObject() }) }),
        });
        var ingressLabels = new JsonObject();
        foreach (var (key, value) in options.IngressNamespaceLabels)
        {
            ingressLabels[key] = value;
        }

        yield return Policy(e, "portal-allow-ingress-controller", new JsonObject
        {
            ["podSelector"] = new JsonObject(),
            ["policyTypes"] = new JsonArray("Ingress"),
            ["ingress"] = new JsonArray(new JsonObject
            {
                ["from"] = new JsonArray(new JsonObject { ["namespaceSelector"] = new JsonObject { ["matchLabels"] = ingressLabels } }),
            }),
        });
    }

    private IEnumerable<EnvironmentObject> Extra(PortalEnvironment e)
    {
        foreach (var (file, yaml) in templates.Render(e))
        {
            IReadOnlyList<JsonNode> documents;
            try
            {
                documents = YamlJson.ParseAll(yaml);
            }
            catch (FormatException ex)
            {
                throw new Core.Jobs.JobStepException($"{file}: {ex.Message}");
            }

            foreach (var document in documents.OfType<JsonObject>())
            {
                var apiVersion = document["apiVersion"]?.GetValue<string>();
                var kind = document["kind"]?.GetValue<string>();
                var name = document["metadata"]?["name"]?.GetValue<string>();
                if (apiVersion is null || kind is null || name is null)
                {
                    throw new Core.Jobs.JobStepException($"{file}: every manifest needs apiVersion, kind and metadata.name.");
                }

                var metadata = document["metadata"]!.AsObject();
                var labels = metadata["labels"] as JsonObject ?? (JsonObject)(metadata["labels"] = new JsonObject());
                labels["app.kubernetes.io/managed-by"] = ManagedBy;
                labels["portal.dev/environment"] = e.Name;
                yield return new EnvironmentObject(ProvisioningParts.ExtraManifests, apiVersion, kind, metadata["namespace"]?.GetValue<string>(), name, document);
            }
        }
    }

    private EnvironmentObject Policy(PortalEnvironment e, string name, JsonObject spec) =>
        Namespaced(e, ProvisioningParts.NetworkPolicies, "networking.k8s.io/v1", "NetworkPolicy", name, spec);

    private EnvironmentObject Namespaced(PortalEnvironment e, string part, string apiVersion, string kind, string name, JsonObject spec) =>
        new(part, apiVersion, kind, e.Namespace, name, new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = kind,
            ["metadata"] = Metadata(e, name),
            ["spec"] = spec,
        });

    private static JsonObject Metadata(PortalEnvironment e, string name) => new()
    {
        ["name"] = name,
        ["namespace"] = e.Namespace,
        ["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = ManagedBy, ["portal.dev/environment"] = e.Name },
    };
}
