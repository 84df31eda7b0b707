using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Portal.Core.Actions;
using Portal.Core.Deployments;
using Portal.Core.Environments;
using Portal.Core.Jobs;
using Portal.Core.Provisioning;
using Portal.Core.Resources;
using Portal.Kubernetes.Cache;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Provisioning;
using Portal.Kubernetes.Rest;

namespace Portal.Kubernetes.Deployments;

/// <summary>
/// Core's deployment port on a Kubernetes cluster. A release's objects are applied from their stored YAML (so a
/// rollback re-applies exactly what was rendered then) with server-side apply as field manager <c>portal</c>; the
/// service's objects a release no longer has are deleted; a rollout is read from the Deployment, its ReplicaSets
/// and pods. Job steps fail with <see cref="JobStepException"/>, reads with <see cref="DependencyUnavailableException"/>.
/// </summary>
public sealed class KubernetesServiceDeployer(IKubernetesClients clusters, TimeProvider clock,
    int progressDeadlineSeconds = ServiceManifests.DefaultProgressDeadlineSeconds,
    int minReadySeconds = 0) : IServiceDeployer
{
    public IReadOnlyList<PlannedObject> Render(PortalEnvironment environment, string service, DeploySpec spec, int releaseNumber) =>
        ServiceManifests.Render(environment, service, spec, releaseNumber, progressDeadlineSeconds, minReadySeconds);

    public Task<IReadOnlyList<LiveComparison>> CompareAsync(PortalEnvironment environment, string service, IReadOnlyList<PlannedObject> objects, CancellationToken ct) =>
        ReadAsync(environment, $"compare {service} with what runs in {environment.Name}", async client =>
        {
            var comparisons = new List<LiveComparison>();
            foreach (var o in objects)
            {
                var (kind, body) = Manifest(environment, o, message => new ArgumentException(message, nameof(objects)));
                var path = kind.In(environment.Namespace);
                string live;
                try
                {
                    live = ComparableYaml.From(await client.GetAsync(path, o.Name, KubernetesJson.Default.JsonElement, ct));
                }
                catch (KubernetesApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    live = "";
                }

                // The planned side as the server would store it: its defaults and other managers' fields included.
                var planned = ComparableYaml.From(await client.ApplyAsync(path, o.Name, body, KubernetesJson.Default.JsonElement, force: true, dryRun: true, ct: ct));
                var change = live.Length == 0 ? ObjectChange.Create : live == planned ? ObjectChange.Unchanged : ObjectChange.Update;
                comparisons.Add(new LiveComparison(o.Kind, o.Name, change, live, planned));
            }

            foreach (var stale in await DroppedAsync(client, environment, service, objects, ct))
            {
                comparisons.Add(new LiveComparison(stale.Kind.Kind, stale.Name, ObjectChange.Delete, ComparableYaml.From(stale.Object), ""));
            }

            return (IReadOnlyList<LiveComparison>)comparisons;
        }, ct);

    public async Task ApplyAsync(PortalEnvironment environment, string service, IReadOnlyList<PlannedObject> objects, Func<string, Task> log, CancellationToken ct)
    {
        ServiceManifests.RequireName(service);
        var manifests = objects.Select(o => (Object: o, Manifest: Manifest(environment, o, message => new JobStepException(message)))).ToList();
        var release = manifests
            .Where(m => m.Object.Kind == "Deployment")
            .Select(m => JsonNode.Parse(m.Manifest.Body)?["metadata"]?["annotations"]?[ServiceManifests.ReleaseAnnotation]?.GetValue<string>())
            .FirstOrDefault(r => r is not null);
        var client = await clusters.ClientForAsync(environment.Cluster, ct);
        if (!await ClusterSteps.RefuseForeignNamespaceAsync(client, environment, ct))
        {
            throw new JobStepException($"Namespace {environment.Namespace} does not exist on {environment.Cluster}: environment {environment.Name} has to be provisioned before anything is deployed into it.");
        }

        foreach (var (o, (kind, body)) in manifests)
        {
            await ClusterSteps.Call(() => client.ApplyAsync(kind.In(environment.Namespace), o.Name, body, KubernetesJson.Default.JsonElement, force: true, ct: ct), $"apply {o.Kind} {o.Name}");
            await log($"Applied {o.Kind} {o.Name}{(release is null ? "" : $" (release {release})")}.");
        }

        var dropped = await ClusterSteps.Call(() => DroppedAsync(client, environment, service, objects, ct), $"list what {service} has in {environment.Namespace}");
        // Found in apply order: deleted in reverse, the Ingress before the Service it points at.
        foreach (var stale in Enumerable.Reverse(dropped))
        {
            var gone = await ClusterSteps.Call(async () =>
            {
                try
                {
                    await client.DeleteAsync(stale.Kind.In(environment.Namespace), stale.Name, "Background", ct: ct);
                    return false;
                }
                catch (KubernetesApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return true;
                }
            }, $"delete {stale.Kind.Kind} {stale.Name}");
            await log(gone
                ? $"{stale.Kind.Kind} {stale.Name} was already gone."
                : $"Deleted {stale.Kind.Kind} {stale.Name}: the release no longer has it.");
        }
    }

    public Task<RolloutStatus> RolloutAsync(PortalEnvironment environment, string service, CancellationToken ct) =>
        ReadAsync(environment, $"say how {service} rolls out in {environment.Name}", async client =>
        {
            ServiceManifests.RequireName(service);
            Deployment? deployment;
            try
            {
                deployment = await client.GetAsync(ResourcePath.Deployments(environment.Namespace), service, KubernetesJson.Default.Deployment, ct);
            }
            catch (KubernetesApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return new RolloutStatus { Exists = false };
            }

            if (deployment is null)
            {
                return new RolloutStatus { Exists = false };
            }

            var selector = $"{ServiceManifests.NameLabel}={service}";
            var sets = await ListAsync(client, new ResourcePath("apps", "v1", "replicasets", environment.Namespace), KubernetesJson.Default.KubeListReplicaSet, selector, ct);
            var pods = await ListAsync(client, ResourcePath.Pods(environment.Namespace), KubernetesJson.Default.KubeListPod, selector, ct);
            return RolloutInspection.Inspect(deployment, sets, pods, clock.GetUtcNow());
        }, ct);

    public Task<IReadOnlyList<LiveService>> LiveAsync(PortalEnvironment environment, CancellationToken ct) =>
        ReadAsync(environment, $"say what runs in {environment.Name}", async client =>
        {
            List<Deployment> deployments;
            try
            {
                deployments = await ListAsync(client, ResourcePath.Deployments(environment.Namespace), KubernetesJson.Default.KubeListDeployment,
                    $"{ServiceManifests.ManagedByLabel}={EnvironmentManifests.ManagedBy}", ct);
            }
            catch (KubernetesApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return (IReadOnlyList<LiveService>)[];
            }

            return [.. deployments
                .Where(d => d.Metadata.Labels?.ContainsKey(ServiceManifests.ServiceLabel) == true && d.Metadata.DeletionTimestamp is null)
                .Select(d =>
                {
                    var container = d.Spec?.Template?.Spec?.Containers.FirstOrDefault();
                    var requests = container?.Resources?.Requests;
                    return new LiveService(
                        d.Metadata.Labels![ServiceManifests.ServiceLabel],
                        container?.Image ?? "",
                        d.Spec?.Replicas ?? 1,
                        d.Status?.ReadyReplicas ?? 0,
                        Quantity.CpuMillis(requests?.GetValueOrDefault("cpu")),
                        Quantity.Bytes(requests?.GetValueOrDefault("memory")));
                })
                .OrderBy(s => s.Service, StringComparer.Ordinal)];
        }, ct);

    /// <summary>A planned object's kind and its body as JSON, refusing what is not one of this environment's service objects.</summary>
    private static (WorkloadKind Kind, string Body) Manifest(PortalEnvironment environment, PlannedObject o, Func<string, Exception> refuse)
    {
        var kind = ServiceManifests.Kinds.FirstOrDefault(k => k.Kind == o.Kind && $"{(k.Group.Length == 0 ? "" : k.Group + "/")}{k.Version}" == o.ApiVersion)
            ?? throw refuse($"Portal does not deploy {o.ApiVersion} {o.Kind} objects ({o.Name}).");
        if (o.Namespace is not null && o.Namespace != environment.Namespace)
        {
            throw refuse($"{o.Kind} {o.Name} belongs in namespace {o.Namespace}, not in {environment.Namespace} of environment {environment.Name}.");
        }

        JsonNode? body;
        try
        {
            body = YamlJson.Parse(o.Yaml);
        }
        catch (FormatException ex)
        {
            throw refuse($"The manifest of {o.Kind} {o.Name} is not YAML: {ex.Message}");
        }

        return body is JsonObject ? (kind, body.ToJsonString()) : throw refuse($"The manifest of {o.Kind} {o.Name} is empty.");
    }

    /// <summary>The service's objects in the cluster that the release does not have (an Ingress turned off).</summary>
    private static async Task<List<(WorkloadKind Kind, string Name, JsonElement Object)>> DroppedAsync(
        KubernetesRestClient client, PortalEnvironment environment, string service, IReadOnlyList<PlannedObject> objects, CancellationToken ct)
    {
        ServiceManifests.RequireName(service);
        var kept = objects.Select(o => (o.Kind, o.Name)).ToHashSet();
        var selector = ServiceManifests.Selector(service);
        var found = new List<(WorkloadKind, string, JsonElement)>();
        async Task Collect<T>(WorkloadKind kind, JsonTypeInfo<KubeList<T>> list, JsonTypeInfo<T> item)
            where T : KubeObject
        {
            await foreach (var o in client.ListAllAsync(kind.In(environment.Namespace), list, selector, ct: ct))
            {
                if (o.Metadata.Name is { } name && o.Metadata.DeletionTimestamp is null && !kept.Contains((kind.Kind, name)))
                {
                    found.Add((kind, name, JsonSerializer.SerializeToElement(o, item)));
                }
            }
        }

        await Collect(ServiceManifests.Kinds[0], KubernetesJson.Default.KubeListDeployment, KubernetesJson.Default.Deployment);
        await Collect(ServiceManifests.Kinds[1], KubernetesJson.Default.KubeListService, KubernetesJson.Default.Service);
        await Collect(ServiceManifests.Kinds[2], KubernetesJson.Default.KubeListIngress, KubernetesJson.Default.Ingress);
        return found;
    }

    private static async Task<List<T>> ListAsync<T>(KubernetesRestClient client, ResourcePath path, JsonTypeInfo<KubeList<T>> type, string selector, CancellationToken ct)
        where T : KubeObject
    {
        var items = new List<T>();
        await foreach (var item in client.ListAllAsync(path, type, selector, ct: ct))
        {
            items.Add(item);
        }

        return items;
    }

    /// <summary>A read for a page or a preview: the cluster's failures become <see cref="DependencyUnavailableException"/>, in words.</summary>
    private async Task<T> ReadAsync<T>(PortalEnvironment environment, string what, Func<KubernetesRestClient, Task<T>> read, CancellationToken ct)
    {
        try
        {
            return await read(await clusters.ClientForAsync(environment.Cluster, ct));
        }
        catch (Exception ex) when (ex is KubernetesApiException or HttpRequestException)
        {
            throw new DependencyUnavailableException($"Cluster '{environment.Cluster}' could not {what}: {ClusterErrors.Describe(ex)}", ex);
        }
    }
}
