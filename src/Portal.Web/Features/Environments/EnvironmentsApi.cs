using Portal.Core.Environments;
using Portal.Core.Provisioning;
using Portal.Web.Api;
using Portal.Web.SignIn;

namespace Portal.Web.Features.Environments;

internal static class EnvironmentsApi
{
    public static RouteGroupBuilder MapEnvironmentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/environments").WithTags("Environments");

        group.MapGet("/", async (HttpContext http, EnvironmentService environments) =>
            Results.Ok((await environments.ListAsync(http.User.ToPortalPrincipal(), http.RequestAborted)).Select(EnvironmentDto.From)))
            .WithSummary("The environments you may see.");

        group.MapGet("/{name}", async (string name, HttpContext http, EnvironmentService environments) =>
            await environments.GetAsync(http.User.ToPortalPrincipal(), name, http.RequestAborted) is { } e
                ? Results.Ok(EnvironmentDto.From(e))
                : ApiResults.NotFound($"Environment '{name}'"))
            .WithSummary("One environment.");

        group.MapPost("/", (HttpContext http, EnvironmentService environments) => ApiBody.HandleAsync<CreateEnvironmentRequest>(http.Request, async request =>
            ApiResults.From(await environments.CreateAsync(ActorContexts.From(http, "api"), request, http.RequestAborted), e => Results.Created($"/api/v1/environments/{e.Name}", EnvironmentDto.From(e)))))
        .Accepts<CreateEnvironmentRequest>("application/json")
        .Produces<EnvironmentDto>(StatusCodes.Status201Created)
        .ProducesValidationProblem()
        .WithSummary("Create an environment (it waits for provisioning); you become its Owner.");

        group.MapPost("/preview", (HttpContext http, EnvironmentService environments) => ApiBody.HandleAsync<CreateEnvironmentRequest>(http.Request, async request =>
            ApiResults.From(await environments.PreviewAsync(ActorContexts.From(http, "api"), request, http.RequestAborted), objects => Results.Ok(objects))))
        .Accepts<CreateEnvironmentRequest>("application/json")
        .Produces<IReadOnlyList<PlannedObject>>()
        .ProducesValidationProblem()
        .WithSummary("What creating the environment would apply to its cluster, rendered as YAML; nothing is stored.");

        group.MapPatch("/{name}", (string name, HttpContext http, EnvironmentService environments) => ApiBody.HandleAsync<UpdateEnvironmentRequest>(http.Request, async request =>
        {
            // If-Match: "<version>" works as well as expectedVersion in the body.
            if (request.ExpectedVersion is null && int.TryParse(http.Request.Headers.IfMatch.ToString().Trim('"', 'W', '/'), out var ifMatch))
            {
                request = request with { ExpectedVersion = ifMatch };
            }

            var result = await environments.UpdateAsync(ActorContexts.From(http, "api"), name, request, http.RequestAborted);
            return ApiResults.From(result, e => Results.Ok(EnvironmentDto.From(e)));
        }))
        .Accepts<UpdateEnvironmentRequest>("application/json")
        .Produces<EnvironmentDto>()
        .ProducesValidationProblem()
        .WithSummary("Change an environment's display name, team, cost centre, budget, labels or quota (labels and quota once it is Ready).");

        group.MapPost("/{name}/extend", (string name, HttpContext http, EnvironmentService environments) => ApiBody.HandleAsync<ExtendRequest>(http.Request, async request =>
            ApiResults.From(await environments.ExtendTtlAsync(ActorContexts.From(http, "api"), name, request.Hours, http.RequestAborted), e => Results.Ok(EnvironmentDto.From(e)))))
        .Accepts<ExtendRequest>("application/json")
        .Produces<EnvironmentDto>()
        .WithSummary("Extend an ephemeral environment's time-to-live to N hours from now.");

        group.MapDelete("/{name}", async (string name, HttpContext http, EnvironmentService environments) =>
        {
            var result = await environments.RequestDestroyAsync(ActorContexts.From(http, "api"), name, http.RequestAborted);
            return ApiResults.From(result, e => Results.Accepted($"/api/v1/environments/{e.Name}", EnvironmentDto.From(e)));
        })
        .Produces<EnvironmentDto>(StatusCodes.Status202Accepted)
        .WithSummary("Ask for the environment to be destroyed (done by the provisioning job).");

        return api;
    }
}
