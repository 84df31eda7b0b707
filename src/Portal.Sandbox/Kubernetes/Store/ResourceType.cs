namespace Portal.Sandbox.Kubernetes.Store;

/// <summary>One kind of object the sandbox serves, as discovery describes it.</summary>
public sealed record ResourceType(string Group, string Version, string Plural, string Singular, string Kind, bool Namespaced, params string[] ShortNames)
{
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The group-qualified name used in API messages: <c>deployments.apps</c>, or <c>pods</c> for the core group.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public override string ToString() => QualifiedName;
}

/// <summary>Every resource the sandbox serves (issue 4 names them), and the look-ups the API layer needs.</summary>
public static class ResourceTypes
{
    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "namespace", "Namespace", false, "ns");
    public static readonly ResourceType Nodes = new("", "v1", "nodes", "node", "Node", false, "no");
    public static readonly ResourceType Pods = new("", "v1", "pods", "pod", "Pod", true, "po");
    public static readonly ResourceType Services = new("", "v1", "services", "service", "Service", true, "svc");
    public static readonly ResourceType PersistentVolumeClaims = new("", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, "pvc");
    public static readonly ResourceType Events = new("", "v1", "events", "event", "Event", true, "ev");
    public static readonly ResourceType ResourceQuotas = new("", "v1", "resourcequotas", "resourcequota", "ResourceQuota", true, "quota");
    public static readonly ResourceType LimitRanges = new("", "v1", "limitranges", "limitrange", "LimitRange", true, "limits");
    public static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "configmap", "ConfigMap", true, "cm");
    public static readonly ResourceType Secrets = new("", "v1", "secrets", "secret", "Secret", true);
    public static readonly ResourceType Deployments = new("apps", "v1", "deployments", "deployment", "Deployment", true, "deploy");
    public static readonly ResourceType ReplicaSets = new("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, "rs");
    public static readonly ResourceType Ingresses = new("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", true, "ing");
    public static readonly ResourceType NetworkPolicies = new("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", true, "netpol");
    public static readonly ResourceType RoleBindings = new("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true);

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Namespaces, Nodes, Pods, Services, PersistentVolumeClaims, Events, ResourceQuotas, LimitRanges, ConfigMaps, Secrets,
        Deployments, ReplicaSets, Ingresses, NetworkPolicies, RoleBindings,
    ];

    /// <summary>The group versions in discovery order (core first).</summary>
    public static IReadOnlyList<(string Group, string Version)> GroupVersions { get; } =
        [.. All.Select(t => (t.Group, t.Version)).Distinct()];

    public static ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

}
