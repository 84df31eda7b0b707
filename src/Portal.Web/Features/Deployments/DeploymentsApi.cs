using Portal.Core.Deployments;
using Portal.Web.Api;
using Portal.Web.SignIn;

namespace Portal.Web.Features.Deployments;

/// <summary>
/// Deploy, preview, history, diff and rollback per environment. A CI pipeline deploys with one call:
/// <c>curl -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"service":"orders","version":"1.4.2"}' …/api/v1/environments/dev/deployments</c>.
/// </summary>
internal static class DeploymentsApi
{
    public static RouteGroupBuilder MapDeploymentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/environments/{env}/deployments").WithTags("Deployments");

        group.MapPost("/", (string env, HttpContext http, DeploymentService deployments) => ApiBody.HandleAsync<DeployRequest>(http.Request, async request =>
            ApiResults.From(await deployments.DeployAsync(ActorContexts.From(http, "api"), env, request, http.RequestAborted),
                o => Results.Accepted($"/api/v1/environments/{env}/deployments/{o.Release.Id}", DeployOutcomeDto.From(o)))))
            .Accepts<DeployRequest>("application/json")
            .Produces<DeployOutcomeDto>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .WithSummary("Deploy a catalog service: only service and version are required, the rest defaults to the last release here, then the catalog. " +
                "Answers the release and its job; 409 names the running rollout unless queue is true.");

        group.MapPost("/preview", (string env, HttpContext http, DeploymentService deployments) => ApiBody.HandleAsync<DeployRequest>(http.Request, async request =>
            ApiResults.From(await deployments.PreviewAsync(ActorContexts.From(http, "api"), env, request, http.RequestAborted), p => Results.Ok(DeployPreviewDto.From(p)))))
            .Accepts<DeployRequest>("application/json")
            .Produces<DeployPreviewDto>()
            .ProducesValidationProblem()
            .WithSummary("The manifests a deploy would apply and their diff against the cluster; nothing is changed.");

        group.MapGet("/", async (string env, string? service, int? take, HttpContext http, DeploymentService deployments) =>
            await deployments.ListAsync(http.User.ToPortalPrincipal(), env, service, take ?? 100, http.RequestAborted) is { } releases
                ? Results.Ok(releases.Select(r => ReleaseDto.From(r)))
                : ApiResults.NotFound($"Environment '{env}'"))
            .Produces<IEnumerable<ReleaseDto>>()
            .WithSummary("The environment's releases, newest first (optionally of one service).");

        group.MapGet("/{id:guid}", async (string env, Guid id, HttpContext http, DeploymentService deployments) =>
            await deployments.GetAsync(http.User.ToPortalPrincipal(), env, id, http.RequestAborted) is { } release
                ? Results.Ok(ReleaseDto.From(release, manifests: true))
                : ApiResults.NotFound($"Release '{id}' in {env}"))
            .Produces<ReleaseDto>()
            .WithSummary("One release with its rendered manifests, outcome and rollout samples.");

        group.MapGet("/{id:guid}/diff", async (string env, Guid id, Guid? against, HttpContext http, DeploymentService deployments) =>
        {
            var who = http.User.ToPortalPrincipal();
            var release = await deployments.GetAsync(who, env, id, http.RequestAborted);
            if (release is null)
            {
                return ApiResults.NotFound($"Release '{id}' in {env}");
            }

            var other = against ?? (await deployments.ListAsync(who, env, release.Service, 500, http.RequestAborted))!
                .Where(r => r.Number < release.Number).Select(r => (Guid?)r.Id).FirstOrDefault();
            if (other is null)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["against"] = [$"release #{release.Number} is the first of {release.Service} here; name a release to compare with"] });
            }

            return await deployments.CompareAsync(who, other.Value, id, http.RequestAborted) is { } comparison
                ? Results.Ok(ReleaseComparisonDto.Of(comparison))
                : ApiResults.NotFound($"Release '{other}'");
        })
            .Produces<ReleaseComparisonDto>()
            .WithSummary("The diff from another release (by default the one before) to this one, object by object.");

        group.MapGet("/{id:guid}/rollout", async (string env, Guid id, HttpContext http, DeploymentService deployments) =>
        {
            var who = http.User.ToPortalPrincipal();
            var release = await deployments.GetAsync(who, env, id, http.RequestAborted);
            if (release is null)
            {
                return ApiResults.NotFound($"Release '{id}' in {env}");
            }

            try
            {
                return Results.Ok(await deployments.LiveRolloutAsync(who, env, release.Service, http.RequestAborted));
            }
            catch (Portal.Core.Actions.DependencyUnavailableException ex)
            {
                return ApiResults.Unavailable(ex.Message);
            }
        })
            .Produces<RolloutStatus>()
            .WithSummary("The service's rollout in the cluster now: replica counts, pods and problems.");

        group.MapPost("/{id:guid}/rollback", async (string env, Guid id, bool? queue, HttpContext http, DeploymentService deployments) =>
            ApiResults.From(await deployments.RollbackAsync(ActorContexts.From(http, "api"), env, id, queue ?? false, http.RequestAborted),
                o => Results.Accepted($"/api/v1/environments/{env}/deployments/{o.Release.Id}", DeployOutcomeDto.From(o))))
            .Produces<DeployOutcomeDto>(StatusCodes.Status202Accepted)
            .WithSummary("Roll back to this release: a new release that re-applies its manifests exactly.");

        return api;
    }
}
