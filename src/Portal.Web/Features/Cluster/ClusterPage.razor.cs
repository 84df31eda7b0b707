using Portal.Core.Resources;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;
using Portal.Web.Clusters;
using Portal.Web.Features.Workloads;

namespace Portal.Web.Features.Cluster;

/// <summary>One node as the cluster view lists it: capacity, allocatable, requested (by its pods) and used (metrics).</summary>
public sealed record NodeRow(string Name, string Status, string Conditions, string? Zone, string? InstanceType, string Cpu, double CpuRequestedPercent,
    string Memory, double MemoryRequestedPercent, int Pods, string? Version);

public sealed record NamespaceRow(string Name, string Status, string? Environment, int Pods, string Age);

/// <summary>
/// A cluster's nodes (capacity, allocatable, requested and used CPU and memory, conditions) and namespaces, live.
/// Anyone who may see an environment on the cluster sees its nodes; namespaces are those of the environments they
/// may see (all of them for PortalAdmins).
/// </summary>
public sealed partial class ClusterPage : IDisposable
{
    public static readonly PortalFeature Feature = new(
        "cluster", "Cluster", "lan", "cluster", 30,
        "Nodes with capacity, requests and usage, and the namespaces of your environments.");

    private IReadOnlyList<string> _clusters = [];
    private string? _name;
    private string? _problem;
    private ClusterClient? _client;
    private LiveCache<Node>? _nodes;
    private LiveCache<Pod>? _pods;
    private LiveCache<Namespace>? _namespaces;
    private Dictionary<string, (long Cpu, long Memory)> _usage = [];
    private HashSet<string>? _visibleNamespaces;
    private Dictionary<string, string> _environmentByNamespace = [];
    private List<NodeRow> _nodeRows = [];
    private List<NamespaceRow> _namespaceRows = [];
    private Timer? _metricsTimer;
    private int _generation;
    private bool _disposed;

    [SupplyParameterFromQuery(Name = "cluster")]
    public string? Requested { get; set; }

    [Inject]
    private ClusterRegistry Registry { get; set; } = default!;

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private PortalActions Actions { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        Release();
        var generation = ++_generation;
        var who = await User.PrincipalAsync();
        var visible = await Environments.ListAsync(who, CancellationToken.None);
        _clusters = [.. Registry.Names.Where(c => visible.Any(e => e.Cluster == c))];
        _name = Requested is { } r && _clusters.Contains(r) ? r : _clusters.FirstOrDefault();
        if (_name is null)
        {
            _problem = "None of the environments you may see runs on a cluster Portal knows.";
            return;
        }

        _problem = null;
        var admin = (await Actions.CheckAsync(who, Permissions.AdminManage, null, CancellationToken.None)).Allowed;
        var mine = visible.Where(e => e.Cluster == _name).ToList();
        _environmentByNamespace = mine.ToDictionary(e => e.Namespace, e => e.Name, StringComparer.Ordinal);
        _visibleNamespaces = admin ? null : [.. mine.Select(e => e.Namespace)];
        ClusterClient? client;
        try
        {
            client = await Registry.GetAsync(_name, CancellationToken.None);
        }
        catch (DependencyUnavailableException ex)
        {
            _problem = ex.Message;
            return;
        }

        if (generation != _generation || _disposed || client is null)
        {
            return;   // navigated elsewhere (or closed) meanwhile: acquire nothing a newer load would not release
        }

        _client = client;

        Func<Task> changed = () => InvokeAsync(() =>
        {
            Refresh();
            StateHasChanged();
        });
        _nodes = new LiveCache<Node>(WorkloadCaches.Nodes(_client), changed);
        _pods = new LiveCache<Pod>(WorkloadCaches.Pods(_client), changed, TimeSpan.FromSeconds(1));
        _namespaces = new LiveCache<Namespace>(WorkloadCaches.Namespaces(_client), changed);
        _metricsTimer = new Timer(_ => _ = RefreshMetricsAsync(), null, TimeSpan.Zero, TimeSpan.FromSeconds(15));
        Refresh();
    }

    public void Dispose()
    {
        _disposed = true;
        Release();
    }

    private async Task RefreshMetricsAsync()
    {
        if (_client is not { } client)
        {
            return;
        }

        try
        {
            var (items, _) = await client.Rest.ListWithVersionAsync(new ResourcePath("metrics.k8s.io", "v1beta1", "nodes"), KubernetesJson.Default.KubeListNodeMetrics, CancellationToken.None);
            _usage = items.ToDictionary(m => m.Metadata.Name ?? "", m => (Quantity.CpuMillis(m.Usage?.GetValueOrDefault("cpu")), Quantity.Bytes(m.Usage?.GetValueOrDefault("memory"))));
        }
        catch (Exception ex) when (ex is KubernetesApiException or HttpRequestException or OperationCanceledException)
        {
            _usage = [];   // No metrics server, or the cluster is down: "used" shows as unknown; the banner says why.
        }

        await InvokeAsync(() =>
        {
            Refresh();
            StateHasChanged();
        });
    }

    private void Refresh()
    {
        if (_nodes is null || _pods is null || _namespaces is null)
        {
            return;
        }

        var now = Clock.GetUtcNow();
        var requested = new Dictionary<string, (long Cpu, long Memory, int Pods)>(StringComparer.Ordinal);
        var podsPerNamespace = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pod in _pods.Items.Values)
        {
            podsPerNamespace[pod.Metadata.Namespace ?? ""] = podsPerNamespace.GetValueOrDefault(pod.Metadata.Namespace ?? "") + 1;
            if (pod.Spec?.NodeName is not { } node || pod.Status?.Phase is "Succeeded" or "Failed")
            {
                continue;
            }

            var r = requested.GetValueOrDefault(node);
            foreach (var c in pod.Spec.Containers)
            {
                r.Cpu += Quantity.CpuMillis(c.Resources?.Requests?.GetValueOrDefault("cpu"));
                r.Memory += Quantity.Bytes(c.Resources?.Requests?.GetValueOrDefault("memory"));
            }

            r.Pods++;
            requested[node] = r;
        }

        _nodeRows = [.. _nodes.Items.Values.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal).Select(n => NodeRowOf(n, requested.GetValueOrDefault(n.Metadata.Name ?? ""), _usage))];
        _namespaceRows = [.. _namespaces.Items.Values
            .Where(n => _visibleNamespaces is null || _visibleNamespaces.Contains(n.Metadata.Name ?? ""))
            .OrderBy(n => n.Metadata.Name, StringComparer.Ordinal)
            .Select(n => new NamespaceRow(n.Metadata.Name ?? "", n.Status?.Phase ?? "", _environmentByNamespace.GetValueOrDefault(n.Metadata.Name ?? ""),
                podsPerNamespace.GetValueOrDefault(n.Metadata.Name ?? ""), WorkloadService.Age(n.Metadata.CreationTimestamp, now)))];
    }

    internal static NodeRow NodeRowOf(Node node, (long Cpu, long Memory, int Pods) requested, IReadOnlyDictionary<string, (long Cpu, long Memory)> usage)
    {
        var capacity = node.Status?.Capacity ?? [];
        var allocatable = node.Status?.Allocatable ?? [];
        var cpuAllocatable = Quantity.CpuMillis(allocatable.GetValueOrDefault("cpu"));
        var memoryAllocatable = Quantity.Bytes(allocatable.GetValueOrDefault("memory"));
        var used = usage.TryGetValue(node.Metadata.Name ?? "", out var u) ? u : ((long, long)?)null;
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        var status = ready?.IsTrue == true ? (node.Spec?.Unschedulable == true ? "Ready,SchedulingDisabled" : "Ready") : "NotReady";

        // Pressure conditions (MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable) show only when true.
        var troubles = (node.Status?.Conditions ?? []).Where(c => c.Type != "Ready" && c.IsTrue).Select(c => c.Type).ToList();
        if (troubles.Count > 0)
        {
            status += "," + string.Join(",", troubles);
        }

        var conditions = string.Join(", ", (node.Status?.Conditions ?? []).Select(c => $"{c.Type}={c.Status}"));
        var labels = node.Metadata.Labels ?? [];
        var cpu = $"requested {Quantity.FormatCpu(requested.Cpu)} · used {(used is { } uc ? Quantity.FormatCpu(uc.Item1) : "?")} / {Quantity.FormatCpu(cpuAllocatable)} of {capacity.GetValueOrDefault("cpu")}";
        var memory = $"requested {Quantity.HumanBytes(requested.Memory)} · used {(used is { } um ? Quantity.HumanBytes(um.Item2) : "?")} / {Quantity.HumanBytes(memoryAllocatable)} of {Quantity.HumanBytes(Quantity.Bytes(capacity.GetValueOrDefault("memory")))}";
        return new NodeRow(node.Metadata.Name ?? "", status, conditions, labels.GetValueOrDefault("topology.kubernetes.io/zone"), labels.GetValueOrDefault("node.kubernetes.io/instance-type"),
            cpu, Percent(requested.Cpu, cpuAllocatable), memory, Percent(requested.Memory, memoryAllocatable), requested.Pods, node.Status?.NodeInfo?.KubeletVersion);
    }

    private static double Percent(long part, long whole) => whole <= 0 ? 0 : Math.Min(100, Math.Round(part * 100.0 / whole, 1, MidpointRounding.AwayFromZero));

    private void Release()
    {
        _metricsTimer?.Dispose();
        _nodes?.Dispose();
        _pods?.Dispose();
        _namespaces?.Dispose();
        _metricsTimer = null;
        _nodes = null;
        _pods = null;
        _namespaces = null;
    }
}
