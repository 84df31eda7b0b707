using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Environments;
using Portal.Core.Provisioning;
using Portal.Kubernetes.Provisioning;
using Portal.Kubernetes.Rest;

namespace Portal.Kubernetes.Deployments;

/// <summary>
/// A service's workload in an environment, rendered from a release's <see cref="DeploySpec"/>: a Deployment, a
/// ClusterIP Service in front of its pods (when it has ports) and an Ingress (when it has a host). Every value goes
/// into a JSON node and the YAML is printed from the nodes, so nothing a spec holds can add a field or a document.
/// </summary>
public static partial class ServiceManifests
{
    public const string DeploymentPart = "deployment";
    public const string ServicePart = "service";
    public const string IngressPart = "ingress";

    public const string NameLabel = "app.kubernetes.io/name";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ServiceLabel = "portal.dev/service";

    /// <summary>On the Deployment's own metadata, not its pod template: applying the same spec as a new release restarts nothing.</summary>
    public const string ReleaseAnnotation = "portal.dev/release";

    public const int DefaultProgressDeadlineSeconds = 600;

    /// <summary>The kinds a service is made of, in apply order (deleted in reverse).</summary>
    internal static IReadOnlyList<WorkloadKind> Kinds { get; } =
    [
        new("Deployment", "apps", "v1", "deployments"),
        new("Service", "", "v1", "services"),
        new("Ingress", "networking.k8s.io", "v1", "ingresses"),
    ];

    /// <summary>The objects of one release, in apply order; each one's YAML is what is applied (and re-applied by a rollback).</summary>
    public static IReadOnlyList<PlannedObject> Render(PortalEnvironment environment, string service, DeploySpec spec, int releaseNumber,
        int progressDeadlineSeconds = DefaultProgressDeadlineSeconds, int minReadySeconds = 0)
    {
        RequireName(service);
        var objects = new List<PlannedObject> { Planned(DeploymentPart, environment, service, Deployment(environment, service, spec, releaseNumber, progressDeadlineSeconds, minReadySeconds)) };
        if (spec.Ports.Count > 0)
        {
            objects.Add(Planned(ServicePart, environment, service, Service(environment, service, spec)));
            if (spec.IngressHost is { } host)
            {
                objects.Add(Planned(IngressPart, environment, service, Ingress(environment, service, host, spec.Ports[0])));
            }
        }

        return objects;
    }

    /// <summary>
    /// A service's name becomes object names, label values and label selectors, so it must be what a Kubernetes
    /// Service may be called (an RFC 1035 label): anything else is refused before it reaches a query.
    /// </summary>
    public static void RequireName(string service)
    {
        if (!ServiceName().IsMatch(service))
        {
            throw new ArgumentException($"'{service}' is not a valid service name: lower-case letters, digits and '-', starting with a letter, at most 63 characters.", nameof(service));
        }
    }

    /// <summary>The labels of every object of the service.</summary>
    internal static JsonObject Labels(PortalEnvironment environment, string service) => new()
    {
        [NameLabel] = service,
        [ManagedByLabel] = EnvironmentManifests.ManagedBy,
        [EnvironmentManifests.EnvironmentLabel] = environment.Name,
        [ServiceLabel] = service,
    };

    /// <summary>Selects the objects Portal deployed for the service (never someone else's, who only shares a label).</summary>
    internal static string Selector(string service) => $"{ManagedByLabel}={EnvironmentManifests.ManagedBy},{ServiceLabel}={service}";

    private static JsonObject Deployment(PortalEnvironment environment, string service, DeploySpec spec, int releaseNumber, int progressDeadlineSeconds, int minReadySeconds) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject
        {
            ["name"] = service,
            ["namespace"] = environment.Namespace,
            ["labels"] = Labels(environment, service),
            ["annotations"] = new JsonObject { [ReleaseAnnotation] = releaseNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        },
        ["spec"] = new JsonObject
        {
            ["replicas"] = spec.Replicas,
            ["revisionHistoryLimit"] = 10,
            ["progressDeadlineSeconds"] = progressDeadlineSeconds,

            // A pod counts as available only after it stayed ready this long: one that starts, passes its check and
            // then crashes fails the rollout instead of slipping through it.
            ["minReadySeconds"] = minReadySeconds,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [NameLabel] = service } },
            ["strategy"] = new JsonObject
            {
                ["type"] = "RollingUpdate",
                ["rollingUpdate"] = new JsonObject { ["maxSurge"] = "25%", ["maxUnavailable"] = "25%" },
            },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["labels"] = new JsonObject
                    {
                        [NameLabel] = service,

                        // The sandbox's simulated logs, and many dashboards, read the plain "app" label.
                        ["app"] = service,
                        [EnvironmentManifests.EnvironmentLabel] = environment.Name,
                        [ServiceLabel] = service,
                    },
                },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(Container(service, spec)) },
            },
        },
    };

    private static JsonObject Container(string service, DeploySpec spec)
    {
        var container = new JsonObject { ["name"] = service, ["image"] = spec.Image };
        if (spec.Ports.Count > 0)
        {
            container["ports"] = new JsonArray([.. spec.Ports.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p.Name,
                ["containerPort"] = p.Port,
                ["protocol"] = p.Protocol,
            })]);
        }

        var env = spec.Env.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (JsonNode)new JsonObject { ["name"] = e.Key, ["value"] = e.Value })
            .Concat(spec.Secrets.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.EnvName,
                ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = s.Secret, ["key"] = s.Key } },
            }))
            .ToList();
        if (env.Count > 0)
        {
            container["env"] = new JsonArray([.. env]);
        }

        container["resources"] = Resources(spec.Resources);
        if (spec.HealthCheckPath is { } path && spec.Ports.Count > 0)
        {
            container["readinessProbe"] = Probe(path, spec.Ports[0]);
            container["livenessProbe"] = Probe(path, spec.Ports[0]);
        }

        return container;
    }

    private static JsonObject Resources(ResourceSettings settings)
    {
        var resources = new JsonObject();
        var requests = Quantities(settings.CpuRequest, settings.MemoryRequest);
        var limits = Quantities(settings.CpuLimit, settings.MemoryLimit);
        if (requests.Count > 0)
        {
            resources["requests"] = requests;
        }

        if (limits.Count > 0)
        {
            resources["limits"] = limits;
        }

        return resources;
    }

    private static JsonObject Quantities(string cpu, string memory)
    {
        var quantities = new JsonObject();
        if (!string.IsNullOrWhiteSpace(cpu))
        {
            quantities["cpu"] = cpu;
        }

        if (!string.IsNullOrWhiteSpace(memory))
        {
            quantities["memory"] = memory;
        }

        return quantities;
    }

    private static JsonObject Probe(string path, ServicePort port) => new()
    {
        ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = port.Name },
    };

    private static JsonObject Service(PortalEnvironment environment, string service, DeploySpec spec) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = Metadata(environment, service),
        ["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["selector"] = new JsonObject { [NameLabel] = service },
            ["ports"] = new JsonArray([.. spec.Ports.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p.Name,
                ["port"] = p.Port,
                ["targetPort"] = p.Name,
                ["protocol"] = p.Protocol,
            })]),
        },
    };

    private static JsonObject Ingress(PortalEnvironment environment, string service, string host, ServicePort port) => new()
    {
        ["apiVersion"] = "networking.k8s.io/v1",
        ["kind"] = "Ingress",
        ["metadata"] = Metadata(environment, service),
        ["spec"] = new JsonObject
        {
            ["rules"] = new JsonArray(new JsonObject
            {
                ["host"] = host,
                ["http"] = new JsonObject
                {
                    ["paths"] = new JsonArray(new JsonObject
                    {
                        ["path"] = "/",
                        ["pathType"] = "Prefix",
                        ["backend"] = new JsonObject
                        {
                            ["service"] = new JsonObject { ["name"] = service, ["port"] = new JsonObject { ["name"] = port.Name } },
                        },
                    }),
                },
            }),
        },
    };

    private static JsonObject Metadata(PortalEnvironment environment, string service) => new()
    {
        ["name"] = service,
        ["namespace"] = environment.Namespace,
        ["labels"] = Labels(environment, service),
    };

    private static PlannedObject Planned(string part, PortalEnvironment environment, string service, JsonObject body) =>
        new(part, body["apiVersion"]!.GetValue<string>(), body["kind"]!.GetValue<string>(), environment.Namespace, service, YamlText.From(body));

    [GeneratedRegex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?\\z")]
    private static partial Regex ServiceName();
}

/// <summary>A kind of object a service is made of, and where the API serves it.</summary>
internal sealed record WorkloadKind(string Kind, string Group, string Version, string Plural)
{
    public ResourcePath In(string ns) => new(Group, Version, Plural, ns);
}
