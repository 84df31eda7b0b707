using Microsoft.AspNetCore.Components;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;

namespace Portal.Web.Features.Workloads;

/// <summary>One ConfigMap or Secret as the page lists it: kind, name and keys. A secret's values never get this far.</summary>
public sealed record ConfigItem(string Kind, string Name, IReadOnlyList<string> Keys);

/// <summary>
/// The environment's ConfigMaps and Secrets by name and keys. Read on demand (not cached): a secret's values are
/// dropped as soon as its keys are taken, so they never sit in Portal's memory or reach a page.
/// </summary>
public sealed partial class ConfigTable : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private List<ConfigItem> _items = [];
    private string? _error;
    private string? _loadedFor;

    [Parameter, EditorRequired]
    public WorkloadScope Scope { get; set; } = default!;

    /// <summary>Loads when the environment changes, not on every render of the live page around it.</summary>
    protected override Task OnParametersSetAsync()
    {
        var key = $"{Scope.ClusterName}/{Scope.Namespace}";
        if (key == _loadedFor)
        {
            return Task.CompletedTask;
        }

        _loadedFor = key;
        return LoadAsync();
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    /// <summary>
    /// ConfigMaps, then Secrets, each on its own: Portal may be allowed to list one and not the other (the deploy
    /// manifests do not grant listing Secrets), and each section says so rather than hiding both.
    /// </summary>
    internal static async Task<(List<ConfigItem> Items, List<string> Problems)> ReadAsync(KubernetesRestClient rest, string ns, CancellationToken ct)
    {
        var items = new List<ConfigItem>();
        var problems = new List<string>();
        try
        {
            await foreach (var map in rest.ListAllAsync(new ResourcePath("", "v1", "configmaps", ns), KubernetesJson.Default.KubeListConfigMap, ct: ct))
            {
                items.Add(new ConfigItem("ConfigMap", map.Metadata.Name ?? "", [.. (map.Data ?? []).Keys.Order(StringComparer.Ordinal)]));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            problems.Add($"ConfigMaps: {Portal.Kubernetes.Cache.ClusterErrors.Describe(ex)}");
        }

        try
        {
            await foreach (var secret in rest.ListAllAsync(new ResourcePath("", "v1", "secrets", ns), KubernetesJson.Default.KubeListSecret, ct: ct))
            {
                items.Add(new ConfigItem($"Secret ({secret.Type ?? "Opaque"})", secret.Metadata.Name ?? "", secret.Keys));
                secret.Data?.Clear();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            problems.Add($"Secrets: {Portal.Kubernetes.Cache.ClusterErrors.Describe(ex)}");
        }

        return (items, problems);
    }

    private async Task LoadAsync()
    {
        try
        {
            var (items, problems) = await ReadAsync(Scope.Cluster!.Rest, Scope.Namespace, _disposed.Token);
            _items = items;
            _error = problems.Count == 0 ? null : string.Join(" ", problems);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The page closed while loading.
        }
    }
}
