using System.Net;
using System.Text.Json;
using Portal.Core.Environments;
using Portal.Core.Jobs;
using Portal.Kubernetes.Cache;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;

namespace Portal.Kubernetes.Provisioning;

/// <summary>What every job step against a cluster does alike: failures in words, and never touching a namespace that is not the environment's.</summary>
internal static class ClusterSteps
{
    /// <summary>Cluster failures in words for the job's log (never the credential), as a failed attempt.</summary>
    public static async Task<T> Call<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is KubernetesApiException or HttpRequestException)
        {
            throw new JobStepException($"Could not {what}: {ClusterErrors.Describe(ex)}", ex);
        }
    }

    /// <summary>
    /// A namespace that exists but is not this environment's (another team's, the ingress controller's) is never
    /// taken over, changed or deleted: Portal only touches what it labelled for the environment. Returns whether the
    /// namespace exists.
    /// </summary>
    public static async Task<bool> RefuseForeignNamespaceAsync(KubernetesRestClient client, PortalEnvironment environment, CancellationToken ct)
    {
        JsonElement ns;
        try
        {
            ns = await client.GetAsync(ResourcePath.Namespaces(), environment.Namespace, KubernetesJson.Default.JsonElement, ct);
        }
        catch (KubernetesApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception ex) when (ex is KubernetesApiException or HttpRequestException)
        {
            throw new JobStepException($"Could not read namespace {environment.Namespace}: {ClusterErrors.Describe(ex)}", ex);
        }

        var owner = ns.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("labels", out var labels)
            && labels.TryGetProperty(EnvironmentManifests.EnvironmentLabel, out var value) ? value.GetString() : null;
        if (owner != environment.Name)
        {
            throw new JobStepException(
                $"Namespace {environment.Namespace} already exists on {environment.Cluster} and is not environment {environment.Name}'s " +
                $"(its {EnvironmentManifests.EnvironmentLabel} label is {(owner is null ? "missing" : $"'{owner}'")}); Portal will not take it over or delete it.");
        }

        return true;
    }
}
