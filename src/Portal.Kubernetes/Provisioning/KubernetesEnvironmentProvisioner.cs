using System.Net;
using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using RoleBinding = Portal.Core.Authorization.RoleBinding;
using Portal.Core.Environments;
using Portal.Core.Jobs;
using Portal.Core.Provisioning;
using Portal.Core.Resources;
using Portal.Kubernetes.Cache;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;

namespace Portal.Kubernetes.Provisioning;

/// <summary>
/// Core's provisioning port on a Kubernetes cluster: server-side apply for every object (so running a step again
/// changes nothing), deletes that treat "already gone" as done, and a namespace deletion that waits for the
/// cluster to finish.
/// </summary>
public sealed class KubernetesEnvironmentProvisioner(
    IKubernetesClients clusters,
    IOptions<ProvisioningOptions> options,
    IOptions<EnvironmentPolicyOptions> policy,
    TimeProvider clock) : IEnvironmentProvisioner
{
    private readonly Lazy<EnvironmentManifests> _manifests = new(() =>
        new EnvironmentManifests(options.Value, ManifestTemplates.Load(options.Value.ManifestsDirectory), policy.Value));

    public IReadOnlyList<PlannedObject> Plan(PortalEnvironment environment, IReadOnlyList<RoleBinding> bindings, string? part = null) =>
        [.. _manifests.Value.Render(environment, bindings, part).Select(o => new PlannedObject(o.Part, o.ApiVersion, o.Kind, o.Namespace, o.Name, YamlText.From(Redacted(o))))];

    /// <summary>A Secret among a tier's extra manifests shows its keys in the preview, never its values.</summary>
    private static System.Text.Json.Nodes.JsonNode Redacted(EnvironmentObject o)
    {
        if (o.Kind != "Secret")
        {
            return o.Body;
        }

        var copy = o.Body.DeepClone().AsObject();
        foreach (var field in new[] { "data", "stringData" })
        {
            if (copy[field] is System.Text.Json.Nodes.JsonObject values)
            {
                foreach (var key in values.Select(v => v.Key).ToList())
                {
                    values[key] = "(hidden)";
                }
            }
        }

        return copy;
    }

    public async Task ApplyAsync(PortalEnvironment environment, string part, IReadOnlyList<RoleBinding> bindings, Func<string, Task> log, CancellationToken ct)
    {
        var objects = _manifests.Value.Render(environment, bindings, part);
        if (objects.Count == 0)
        {
            await log($"Nothing to apply for {part} on a {environment.Tier.ToWire()} environment.");
            return;
        }

        var client = await clusters.ClientForAsync(environment.Cluster, ct);
        await ClusterSteps.RefuseForeignNamespaceAsync(client, environment, ct);
        foreach (var o in objects)
        {
            var path = await PathForAsync(client, o, environment, ct);
            await ClusterSteps.Call(() => client.ApplyAsync(path, o.Name, o.Body.ToJsonString(), KubernetesJson.Default.JsonElement, force: true, ct: ct), $"apply {o.Kind} {o.Name}");
            await log($"Applied {o.Kind} {(o.Namespace is null ? "" : o.Namespace + "/")}{o.Name}.");
        }
    }

    public async Task DeleteAsync(PortalEnvironment environment, string part, Func<string, Task> log, CancellationToken ct)
    {
        var client = await clusters.ClientForAsync(environment.Cluster, ct);
        if (!await ClusterSteps.RefuseForeignNamespaceAsync(client, environment, ct))
        {
            await log(part == ProvisioningParts.Namespace
                ? $"Namespace {environment.Namespace} was already gone."
                : $"Namespace {environment.Namespace} is gone, and its {part} with it.");
            return;
        }

        foreach (var o in _manifests.Value.Render(environment, [], part).Reverse())
        {
            var path = await PathForAsync(client, o, environment, ct);
            var outcome = await ClusterSteps.Call(async () =>
            {
                try
                {
                    await client.DeleteAsync(path, o.Name, "Foreground", ct: ct);
                    return "Deleted";
                }
                catch (KubernetesApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return "gone";
                }
                catch (KubernetesApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict && o.Kind == "Namespace")
                {
                    // Already terminating (an earlier attempt, before a restart): wait for it like any other.
                    return "terminating";
                }
            }, $"delete {o.Kind} {o.Name}");
            await log(outcome switch
            {
                "gone" => $"{o.Kind} {o.Name} was already gone.",
                "terminating" => $"{o.Kind} {o.Name} is already being deleted.",
                _ => $"Deleted {o.Kind} {o.Name}.",
            });
            if (o.Kind == "Namespace")
            {
                await WaitUntilGoneAsync(client, path, o.Name, log, ct);
            }
        }
    }

    public async Task<ResourceUsage> UsageAsync(PortalEnvironment environment, CancellationToken ct)
    {
        try
        {
            var client = await clusters.ClientForAsync(environment.Cluster, ct);
            var quota = await client.GetAsync(ResourcePath(string.Empty, "v1", "resourcequotas", environment.Namespace), "portal-quota", KubernetesJson.Default.ResourceQuota, ct);
            var used = quota?.Status?.Used ?? [];
            return new ResourceUsage(
                Quantity.CpuMillis(used.GetValueOrDefault("requests.cpu")),
                Quantity.Bytes(used.GetValueOrDefault("requests.memory")),
                (int)(Quantity.TryParse(used.GetValueOrDefault("pods")) ?? 0));
        }
        catch (KubernetesApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return new ResourceUsage(0, 0, 0);
        }
        catch (Exception ex) when (ex is KubernetesApiException or HttpRequestException)
        {
            throw new DependencyUnavailableException($"Cluster '{environment.Cluster}' could not say what {environment.Name} uses: {ClusterErrors.Describe(ex)}", ex);
        }
    }

    private async Task WaitUntilGoneAsync(KubernetesRestClient client, Rest.ResourcePath path, string name, Func<string, Task> log, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + options.Value.NamespaceDeletionTimeout;
        while (true)
        {
            try
            {
                await client.GetAsync(path, name, KubernetesJson.Default.Namespace, ct);
            }
            catch (KubernetesApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                await log($"Namespace {name} is gone.");
                return;
            }
            catch (Exception ex) when (ex is KubernetesApiException or HttpRequestException)
            {
                throw new JobStepException($"Could not check namespace {name}: {ClusterErrors.Describe(ex)}", ex);
            }

            if (clock.GetUtcNow() > deadline)
            {
                throw new JobStepException($"Namespace {name} is still terminating after {options.Value.NamespaceDeletionTimeout.TotalMinutes:0} minutes; something in it holds a finalizer.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), clock, ct);
        }
    }

    /// <summary>Where an object lives in the API: known kinds directly, anything else (extra manifests) by discovery.</summary>
    private static async Task<Rest.ResourcePath> PathForAsync(KubernetesRestClient client, EnvironmentObject o, PortalEnvironment environment, CancellationToken ct)
    {
        var (group, version) = o.ApiVersion.Contains('/', StringComparison.Ordinal)
            ? (o.ApiVersion[..o.ApiVersion.IndexOf('/', StringComparison.Ordinal)], o.ApiVersion[(o.ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..])
            : (string.Empty, o.ApiVersion);
        switch (o.Kind)
        {
            case "Namespace": return ResourcePath(group, version, "namespaces", null);
            case "ResourceQuota": return ResourcePath(group, version, "resourcequotas", o.Namespace);
            case "LimitRange": return ResourcePath(group, version, "limitranges", o.Namespace);
            case "RoleBinding": return ResourcePath(group, version, "rolebindings", o.Namespace);
            case "NetworkPolicy": return ResourcePath(group, version, "networkpolicies", o.Namespace);
        }

        var resources = await ClusterSteps.Call(() => client.DiscoverAsync(o.ApiVersion, ct), $"discover {o.ApiVersion}");
        var resource = resources.FirstOrDefault(r => r.Kind == o.Kind)
            ?? throw new JobStepException($"Cluster '{environment.Cluster}' does not serve {o.Kind} in {o.ApiVersion}.");

        // A namespaced extra manifest goes into the environment's namespace unless it names its own.
        return ResourcePath(group, version, resource.Plural, resource.Namespaced ? o.Namespace ?? environment.Namespace : null);
    }

    private static Rest.ResourcePath ResourcePath(string group, string version, string plural, string? ns) => new(group, version, plural, ns);
}
