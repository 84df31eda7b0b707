using Microsoft.Extensions.Options;
using Portal.Kubernetes.Connection;

namespace Portal.Web.Clusters;

/// <summary>The clusters Portal manages (section <c>Kubernetes</c>), each by name, and the embedded sandbox.</summary>
public sealed class KubernetesOptions
{
    public const string SectionName = "Kubernetes";

    /// <summary>By name (the name environments refer to): a kubeconfig (and context), or the pod's own service account.</summary>
    public Dictionary<string, ClusterSettings> Clusters { get; set; } = new(StringComparer.Ordinal);

    public SandboxSettings Sandbox { get; set; } = new();

    /// <summary>
    /// How long one ordinary API request may take before the cluster counts as not answering (watches and followed
    /// logs are not bound by it). Short enough that a hung cluster shows its banner and refuses actions promptly.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The sandbox runs when asked to, or when no cluster is configured (the embedded default).</summary>
    public bool SandboxEnabled => Sandbox.Enabled ?? Clusters.Count == 0;
}

public sealed class ClusterSettings
{
    public string? Kubeconfig { get; set; }

    /// <summary>The kubeconfig context; its current-context when empty.</summary>
    public string? Context { get; set; }

    /// <summary>Use the service account of the pod Portal runs in.</summary>
    public bool InCluster { get; set; }
}

public sealed class SandboxSettings
{
    public bool? Enabled { get; set; }

    /// <summary>The cluster name environments use for the sandbox.</summary>
    public string Name { get; set; } = "sandbox";

    /// <summary>The API server's loopback port; 0 picks a free one (the kubeconfig is rewritten on each start).</summary>
    public int Port { get; set; }
}

/// <summary>
/// Fails start-up on a cluster Portal cannot connect to as configured: a missing or malformed kubeconfig, an
/// unknown context. The message is one line naming the setting, the file and the problem.
/// </summary>
public sealed class KubernetesOptionsValidator : IValidateOptions<KubernetesOptions>
{
    public ValidateOptionsResult Validate(string? name, KubernetesOptions options)
    {
        var failures = new List<string>();
        foreach (var (cluster, settings) in options.Clusters)
        {
            var key = $"{KubernetesOptions.SectionName}:Clusters:{cluster}";
            if (settings.InCluster == !string.IsNullOrWhiteSpace(settings.Kubeconfig))
            {
                failures.Add($"{key}: set either Kubeconfig or InCluster=true.");
                continue;
            }

            if (settings.InCluster)
            {
                try
                {
                    InClusterConfig.Load();
                }
                catch (KubeconfigException ex)
                {
                    failures.Add($"{key}:InCluster: {ex.Message}");
                }
            }

            if (settings.Kubeconfig is { } path)
            {
                try
                {
                    KubeconfigLoader.Load(path, string.IsNullOrWhiteSpace(settings.Context) ? null : settings.Context);
                }
                catch (KubeconfigException ex)
                {
                    failures.Add($"{key}: {ex.Message}");
                }
            }
        }

        if (options.SandboxEnabled && options.Clusters.ContainsKey(options.Sandbox.Name))
        {
            failures.Add($"{KubernetesOptions.SectionName}:Sandbox:Name: '{options.Sandbox.Name}' is also a configured cluster.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{KubernetesOptions.SectionName}:RequestTimeout: must be more than 0 and at most 00:10:00 (got {options.RequestTimeout}).");
        }

        if (options.Sandbox.Port is < 0 or > 65535)
        {
            failures.Add($"{KubernetesOptions.SectionName}:Sandbox:Port: {options.Sandbox.Port} is not a port number.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
