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
public sealed partial class ConfigTable
{
    private List<ConfigItem> _items = [];
    private string? _error;

    [Parameter, EditorRequired]
    public WorkloadScope Scope { get; set; } = default!;

    protected override Task OnParametersSetAsync() => LoadAsync();

    internal static async Task<List<ConfigItem>> ReadAsync(KubernetesRestClient rest, string ns, CancellationToken ct)
    {
        var items = new List<ConfigItem>();
        await foreach (var map in rest.ListAllAsync(new ResourcePath("", "v1", "configmaps", ns), KubernetesJson.Default.KubeListConfigMap, ct: ct))
        {
            items.Add(new ConfigItem("ConfigMap", map.Metadata.Name ?? "", [.. (map.Data ?? []).Keys.Order(StringComparer.Ordinal)]));
        }

        await foreach (var secret in rest.ListAllAsync(new ResourcePath("", "v1", "secrets", ns), KubernetesJson.Default.KubeListSecret, ct: ct))
        {
            items.Add(new ConfigItem($"Secret ({secret.Type ?? "Opaque"})", secret.Metadata.Name ?? "", secret.Keys));
            secret.Data?.Clear();
        }

        return items;
    }

    private async Task LoadAsync()
    {
        try
        {
            _items = await WorkloadService.Call(() => ReadAsync(Scope.Cluster!.Rest, Scope.Namespace, CancellationToken.None), "Configuration");
            _error = null;
        }
        catch (Exception ex) when (ex is Portal.Core.Actions.DependencyUnavailableException or Portal.Core.Actions.ConflictException or Portal.Core.Actions.NotFoundException)
        {
            _error = ex.Message;
        }
    }
}
