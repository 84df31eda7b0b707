using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Validation;
using Portal.Kubernetes.Cache;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;
using Portal.Web.Clusters;

namespace Portal.Web.Features.Workloads;

/// <summary>Where an environment's workloads live: its cluster (null when Portal has no such cluster) and namespace.</summary>
public sealed record WorkloadScope(PortalEnvironment Environment, ClusterClient? Cluster)
{
    public string Namespace => Environment.Namespace;

    public string ClusterName => Environment.Cluster;
}

/// <summary>
/// The workloads of an environment for the pages and the API: who may read them (and logs), and the two actions
/// on them, restart a pod and scale a deployment, each decided, done and audited through <see cref="PortalActions"/>.
/// </summary>
public sealed class WorkloadService(ClusterRegistry clusters, EnvironmentService environments, PortalActions actions)
{
    public const int MaxReplicas = 500;

    /// <summary>The scope when <paramref name="who"/> may <paramref name="permission"/> in the environment; else why not.</summary>
    public async Task<(WorkloadScope? Scope, ActionResult<WorkloadScope>? Refusal)> OpenAsync(PortalPrincipal who, string environment, string permission, CancellationToken ct)
    {
        var env = await environments.GetAsync(who, environment, ct);
        if (env is null)
        {
            return (null, new ActionResult<WorkloadScope>.NotFound($"Environment '{environment}'"));
        }

        var decision = await actions.CheckAsync(who, permission, env.Ref, ct);
        if (!decision.Allowed)
        {
            return (null, new ActionResult<WorkloadScope>.Denied(decision));
        }

        try
        {
            return (new WorkloadScope(env, await clusters.GetAsync(env.Cluster, ct)), null);
        }
        catch (DependencyUnavailableException ex)
        {
            return (null, new ActionResult<WorkloadScope>.Unavailable(ex.Message));
        }
    }

    public async Task<ActionResult<Scale>> ScaleAsync(ActorContext actor, string environment, string deployment, int? replicas, CancellationToken ct)
    {
        var parameters = new Dictionary<string, object?> { ["replicas"] = replicas };
        var env = await environments.FindAsync(environment, ct);
        var request = new ActionRequest(Permissions.WorkloadsScale, env?.Ref, $"deployment/{deployment}", parameters) { Name = "workloads.scale" };
        if (env is null)
        {
            return await actions.NotFoundAsync<Scale>(actor, request, $"Environment '{environment}'", ct);
        }

        return await actions.RunAsync(actor, request, async (_, token) =>
        {
            if (replicas is not (>= 0 and <= MaxReplicas))
            {
                var errors = new ValidationErrors();
                errors.Add("replicas", replicas is null ? "is required: the number of replicas to scale to." : $"must be between 0 and {MaxReplicas}; {replicas} is not.");
                throw new ValidationFailedException(errors);
            }

            var cluster = await ClusterOf(env, token);
            return await Call(() => cluster.Rest.ScaleAsync(ResourcePath.Deployments(env.Namespace), deployment, replicas.Value, token), $"Deployment '{deployment}'",
                       $"Cluster '{env.Cluster}' could not scale deployment {deployment}")
                ?? throw new NotFoundException($"Deployment '{deployment}'");
        }, ct);
    }

    /// <summary>Restarts a pod by deleting it (its ReplicaSet creates a new one), as <c>kubectl delete pod</c> does.</summary>
    public async Task<ActionResult<string>> RestartPodAsync(ActorContext actor, string environment, string pod, CancellationToken ct)
    {
        var env = await environments.FindAsync(environment, ct);
        var request = new ActionRequest(Permissions.WorkloadsRestart, env?.Ref, $"pod/{pod}") { Name = "workloads.restart" };
        if (env is null)
        {
            return await actions.NotFoundAsync<string>(actor, request, $"Environment '{environment}'", ct);
        }

        return await actions.RunAsync(actor, request, async (_, token) =>
        {
            var cluster = await ClusterOf(env, token);
            await Call(async () =>
            {
                await cluster.Rest.DeleteAsync(ResourcePath.Pods(env.Namespace), pod, ct: token);
                return true;
            }, $"Pod '{pod}'", $"Cluster '{env.Cluster}' could not restart pod {pod}");
            return pod;
        }, ct);
    }

    /// <summary>A pod's log; the caller has opened the scope with <see cref="Permissions.LogsRead"/>.</summary>
    public static async Task<Stream> LogsAsync(WorkloadScope scope, string pod, LogOptions options, CancellationToken ct)
    {
        var cluster = scope.Cluster ?? throw new DependencyUnavailableException($"Portal has no cluster named '{scope.ClusterName}'.");
        return await Call(() => cluster.Rest.LogsAsync(scope.Namespace, pod, options, ct), $"Pod '{pod}'", $"Cluster '{scope.ClusterName}' could not read the log of pod {pod}");
    }

    /// <summary>
    /// Kubernetes failures as the action outcomes people understand; an unavailable cluster is named in
    /// <paramref name="failed"/> ("Cluster 'prod' could not scale deployment web"), so the refusal says which one.
    /// </summary>
    internal static async Task<T> Call<T>(Func<Task<T>> call, string what, string failed)
    {
        try
        {
            return await call();
        }
        catch (KubernetesApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new NotFoundException(what);
        }
        catch (KubernetesApiException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.UnprocessableEntity or System.Net.HttpStatusCode.BadRequest)
        {
            throw new ConflictException(ex.ApiMessage);
        }
        catch (Exception ex) when (ex is not (NotFoundException or ConflictException or DependencyUnavailableException or ValidationFailedException
                                       or OperationCanceledException { CancellationToken.IsCancellationRequested: true }))
        {
            // Anything else the cluster (or getting to it) threw: the cluster is unavailable for this, said in words.
            throw new DependencyUnavailableException($"{failed}: {ClusterErrors.Describe(ex)}. Portal keeps retrying its reads; try the action again when the cluster answers.", ex);
        }
    }

    private async Task<ClusterClient> ClusterOf(PortalEnvironment env, CancellationToken ct) =>
        await clusters.GetAsync(env.Cluster, ct) ?? throw new DependencyUnavailableException($"Portal has no cluster named '{env.Cluster}'.");

    public static string Age(DateTimeOffset? created, DateTimeOffset now) => created is { } c ? HumanDuration.Format(now - c) : "";
}
