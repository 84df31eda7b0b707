namespace Portal.Core.Costs;

/// <summary>
/// Section <c>Costs</c>: prices per cluster, how often the cluster is sampled, idle sharing, and what counts as an idle
/// environment. The model is OpenCost's allocation method (README "Costs").
/// </summary>
public sealed class CostsOptions
{
    public const string SectionName = "Costs";

    /// <summary>How often each cluster is sampled. Each sample stands for one slot of this length (at most 1 hour, dividing it).</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The currency the prices are in; shown beside every figure.</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>
    /// Share each cluster's idle cost (nodes minus what pods were allocated) to environments in proportion to their
    /// allocated cost. Off: idle is shown on its own line.
    /// </summary>
    public bool ShareIdle { get; set; }

    /// <summary>An environment is idle when nothing was deployed to it for this many days ...</summary>
    public int IdleAfterDays { get; set; } = 7;

    /// <summary>... and its pods used less than this share of the CPU they requested over those days.</summary>
    public double IdleCpuUsageShare { get; set; } = 0.05;

    /// <summary>Prices per cluster name; the entry "*" applies to clusters without their own.</summary>
    public Dictionary<string, ClusterPrices> Clusters { get; set; } = new(StringComparer.Ordinal)
    {
        ["*"] = new ClusterPrices(),
    };

    public ClusterPrices PricesFor(string cluster) =>
        Clusters.TryGetValue(cluster, out var own) ? own : Clusters.TryGetValue("*", out var any) ? any : new ClusterPrices();
}

/// <summary>One cluster's price list. The defaults are on-demand AWS eu-west-1 prices of 2026, rounded.</summary>
public sealed class ClusterPrices
{
    /// <summary>Hourly price per node type (the node's <c>node.kubernetes.io/instance-type</c> label).</summary>
    public Dictionary<string, decimal> NodeTypes { get; set; } = new(StringComparer.Ordinal)
    {
        ["m5.large"] = 0.107m,
        ["m5.xlarge"] = 0.214m,
        ["m5.2xlarge"] = 0.428m,
    };

    /// <summary>The hourly price of a node whose type has no entry (or no label).</summary>
    public decimal DefaultNodeHourly { get; set; } = 0.214m;

    /// <summary>
    /// What one CPU core-hour costs relative to one GiB-hour of memory (OpenCost's defaults price them 0.031611 and
    /// 0.004237, a ratio of about 7.46). A node's hourly price is split by it: cores × cpu + GiB × memory = price.
    /// </summary>
    public decimal CpuToMemoryPriceRatio { get; set; } = 7.46m;

    /// <summary>Per GiB-month of a bound PersistentVolumeClaim (a month is 730 hours).</summary>
    public decimal StorageGiBMonth { get; set; } = 0.11m;

    /// <summary>Per hour of a Service of type LoadBalancer.</summary>
    public decimal LoadBalancerHourly { get; set; } = 0.0252m;

    /// <summary>Per hour of an Ingress.</summary>
    public decimal IngressHourly { get; set; } = 0.0252m;

    /// <summary>A fixed monthly amount per environment for shared services (DNS, CI, observability); 0 for none.</summary>
    public decimal SharedMonthlyPerEnvironment { get; set; }
}
