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
}

public sealed class TierPolicy
{
    /// <summary>TTL given when the request names none; 0 = no expiry.</summary>
    public int DefaultTtlHours { get; set; }

    /// <summary>Largest TTL a request may ask for; 0 = the tier has no ephemeral environments.</summary>
    public int MaxTtlHours { get; set; }
}
