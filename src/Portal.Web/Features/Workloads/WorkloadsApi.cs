using System.Text;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;
using Portal.Web.Api;
using Portal.Web.SignIn;

namespace Portal.Web.Features.Workloads;

internal static class WorkloadsApi
{
    private const int MaxTailLines = 50_000;
    private const long LimitBytes = 32L << 20;
    private static readonly TimeSpan CacheWait = TimeSpan.FromSeconds(10);

    public static RouteGroupBuilder MapWorkloadsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/environments/{env}").WithTags("Workloads");

        group.MapGet("/pods", (string env, HttpContext http, WorkloadService workloads) =>
            Read(http, workloads, env, Permissions.WorkloadsRead, scope => FromCacheAsync(WorkloadCaches.Pods(scope.Cluster!), scope, PodRow.From, http.RequestAborted)))
        .Produces<IEnumerable<PodRow>>()
        .WithSummary("The environment's pods: status, ready containers, restarts, node, IP, age.");

        group.MapGet("/workloads", (string env, HttpContext http, WorkloadService workloads) =>
            Read(http, workloads, env, Permissions.WorkloadsRead, scope => FromCacheAsync(WorkloadCaches.Deployments(scope.Cluster!), scope, DeploymentRow.From, http.RequestAborted)))
        .Produces<IEnumerable<DeploymentRow>>()
        .WithSummary("The environment's deployments: desired, updated, ready and available replicas, rollout state.");

        group.MapGet("/pods/{pod}/logs", (string env, string pod, string? container, int? tailLines, int? sinceSeconds, bool? previous, bool? follow, bool? timestamps, bool? download,
            HttpContext http, WorkloadService workloads) => Read(http, workloads, env, Permissions.LogsRead, async scope =>
        {
            if (tailLines is < 0 or > MaxTailLines || sinceSeconds is < 1)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    [sinceSeconds is < 1 ? "sinceSeconds" : "tailLines"] = [sinceSeconds is < 1 ? "must be 1 or more." : $"must be between 0 and {MaxTailLines}."],
                }, title: "The request is not valid.");
            }

            // Bounded: at most MaxTailLines lines, or LimitBytes of a log read from its start (kubectl's limitBytes).
            var options = new LogOptions(container, tailLines, sinceSeconds, previous ?? false, follow ?? false, timestamps ?? false, LimitBytes: follow == true ? null : LimitBytes);
            var stream = await WorkloadService.LogsAsync(scope, pod, options, http.RequestAborted);
            if (download ?? false)
            {
                // Built by the header type, not by hand: quotes, line breaks and non-ASCII in the names are encoded.
                var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
                disposition.SetHttpFileName($"{pod}{(container is null ? "" : "-" + container)}.log");
                http.Response.Headers.ContentDisposition = disposition.ToString();
            }

            http.Response.Headers.CacheControl = "no-store";
            return Results.Stream(stream, "text/plain; charset=utf-8");
        }))
        .Produces<string>(contentType: "text/plain")
        .WithSummary("A pod's log (container, tailLines, sinceSeconds, previous, follow as a stream, timestamps, download).");

        group.MapPost("/workloads/{name}/scale", (string env, string name, HttpContext http, WorkloadService workloads) => ApiBody.HandleAsync<ScaleRequest>(http.Request, async request =>
            Guard(await workloads.ScaleAsync(ActorContexts.From(http, "api"), env, name, request.Replicas, CancellationToken.None), s => Results.Ok(new ScaleResult(name, s.Spec?.Replicas ?? request.Replicas ?? 0)))))
        .Accepts<ScaleRequest>("application/json")
        .Produces<ScaleResult>()
        .ProducesValidationProblem()
        .WithSummary("Scale a deployment to N replicas (Operators).");

        group.MapDelete("/pods/{pod}", async (string env, string pod, HttpContext http, WorkloadService workloads) =>
            Guard(await workloads.RestartPodAsync(ActorContexts.From(http, "api"), env, pod, CancellationToken.None), p => Results.Accepted(value: new RestartResult(p))))
        .Produces<RestartResult>(StatusCodes.Status202Accepted)
        .WithSummary("Restart a pod by deleting it; its ReplicaSet starts a new one (Operators).");

        return api;
    }

    /// <summary>The environment's objects from the shared cache (waiting for its first list if need be), as rows.</summary>
    private static async Task<IResult> FromCacheAsync<T, TRow>(Portal.Kubernetes.Cache.Lease<T> lease, WorkloadScope scope, Func<T, TRow> row, CancellationToken ct)
        where T : KubeObject
    {
        using (lease)
        {
            return Results.Ok((await WorkloadCaches.SnapshotAsync(lease, scope.Namespace, CacheWait, ct)).Select(row));
        }
    }

    private static IResult Guard<T>(ActionResult<T> result, Func<T, IResult> ok) => ApiResults.From(result, ok);

    private static async Task<IResult> Read(HttpContext http, WorkloadService workloads, string env, string permission, Func<WorkloadScope, Task<IResult>> read)
    {
        try
        {
            var (scope, refusal) = await workloads.OpenAsync(http.User.ToPortalPrincipal(), env, permission, http.RequestAborted);
            if (scope is null)
            {
                return ApiResults.From(refusal!, _ => Results.Ok());
            }

            if (scope.Cluster is null)
            {
                return ApiResults.Unavailable($"Portal has no cluster named '{scope.ClusterName}'.");
            }

            return await read(scope);
        }
        catch (NotFoundException ex)
        {
            return ApiResults.NotFound(ex.What);
        }
        catch (ConflictException ex)
        {
            return Results.Problem(title: "Bad request", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (DependencyUnavailableException ex)
        {
            return ApiResults.Unavailable(ex.Message);
        }
    }
}

/// <summary>The number of replicas to scale to; required (a missing value is refused, never read as 0).</summary>
public sealed record ScaleRequest(int? Replicas);

public sealed record ScaleResult(string Deployment, int Replicas);

public sealed record RestartResult(string Pod);
