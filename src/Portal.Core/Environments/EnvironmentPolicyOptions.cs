namespace Portal.Core.Environments;

/// <summary>Settings of the <c>Environments</c> section: time-to-live per tier, and the default cluster.</summary>
public sealed class EnvironmentPolicyOptions
{
    public const string SectionName = "Environments";

    /// <summary>The cluster new environments map to when the request names none.</summary>
    public string DefaultCluster { get; set; } = "sandbox";

    /// <summary>The clusters an environment may map to (besides <see cref="DefaultCluster"/>).</summary>
    public List<string> Clusters { get; set; } = [];

    /// <summary>Namespaces no environment may take (the cluster's own).</summary>
    public List<string> ReservedNamespaces { get; set; } = ["default", "kube-system", "kube-public", "kube-node-lease"];

    public bool IsKnownCluster(string cluster) => cluster == DefaultCluster || Clusters.Contains(cluster, StringComparer.Ordinal);

    /// <summary>Per tier (dev, test, staging, prod): default and maximum time-to-live in hours; 0 means long-lived.</summary>
    public Dictionary<string, TierPolicy> Tiers { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dev"] = new() { DefaultTtlHours = 72, MaxTtlHours = 336 },
        ["test"] = new() { DefaultTtlHours = 72, MaxTtlHours = 336 },
        ["staging"] = new() { DefaultTtlHours = 0, MaxTtlHours = 720 },
        ["prod"] = new() { DefaultTtlHours = 0, MaxTtlHours = 0 },
    };

    public TierPolicy For(EnvironmentTier tier) => Tiers.TryGetValue(tier.ToWire(), out var p) ? p : new TierPolicy();

    /// <summary>How long a four-eyes request (prod creation or destruction) waits for a second person.</summary>
    public int ApprovalExpiryHours { get; set; } = 72;

    /// <summary>The hours before expiry at which owners are warned.</summary>
    public List<int> ExpiryWarningHours { get; set; } = [24, 1];
}

public sealed class TierPolicy
{
    /// <summary>TTL given when the request names none; 0 = no expiry.</summary>
    public int DefaultTtlHours { get; set; }

    /// <summary>Largest TTL a request may ask for; 0 = the tier has no ephemeral environments.</summary>
    public int MaxTtlHours { get; set; }

    /// <summary>The namespace quota an environment gets unless its request says otherwise.</summary>
    public QuotaDefaults Quota { get; set; } = new();

    /// <summary>The LimitRange: what a container gets when it declares nothing, and the most one may ask for.</summary>
    public ContainerDefaults Containers { get; set; } = new();
}

public sealed class QuotaDefaults
{
    public string Cpu { get; set; } = "4";

    public string Memory { get; set; } = "8Gi";

    public int Pods { get; set; } = 30;

    /// <summary>The most a request may ask for on this tier (a request above is refused, naming the ceiling).</summary>
    public string MaxCpu { get; set; } = "64";

    public string MaxMemory { get; set; } = "256Gi";

    public int MaxPods { get; set; } = 500;
}

public sealed class ContainerDefaults
{
    public string CpuRequest { get; set; } = "100m";

    public string MemoryRequest { get; set; } = "128Mi";

    public string CpuLimit { get; set; } = "1";

    public string MemoryLimit { get; set; } = "512Mi";

    public string MaxCpu { get; set; } = "4";

    public string MaxMemory { get; set; } = "8Gi";
}
