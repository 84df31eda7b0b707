using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Web.Api;
using Portal.Web.Features.Deployments;
using Portal.Web.SignIn;

namespace Portal.Web.Features.Catalog;

internal static class ServicesApi
{
    public static RouteGroupBuilder MapServicesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/services").WithTags("Catalog");

        group.MapGet("/", async (CatalogService catalog, HttpContext http) => Results.Ok(await catalog.ListAsync(http.RequestAborted)))
            .Produces<IReadOnlyList<ServiceDefinition>>()
            .WithSummary("Every service in the catalog.");

        group.MapGet("/{name}", async (string name, CatalogService catalog, HttpContext http) =>
            await catalog.FindAsync(name, http.RequestAborted) is { } service ? Results.Ok(service) : ApiResults.NotFound($"Service '{name}'"))
            .Produces<ServiceDefinition>()
            .WithSummary("One service's definition.");

        group.MapPost("/", (HttpContext http, CatalogService catalog) => ApiBody.HandleAsync<ServiceInput>(http.Request, async input =>
            ApiResults.From(await catalog.CreateAsync(ActorContexts.From(http, "api"), input, http.RequestAborted), s => Results.Created($"/api/v1/services/{s.Name}", s))))
            .Accepts<ServiceInput>("application/json")
            .Produces<ServiceDefinition>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .WithSummary("Register a service (Developer or above on any environment).");

        group.MapPut("/{name}", (string name, HttpContext http, CatalogService catalog) => ApiBody.HandleAsync<ServiceInput>(http.Request, async input =>
        {
            if (input.ExpectedVersion is null && int.TryParse(http.Request.Headers.IfMatch.ToString().Trim('"', 'W', '/'), out var ifMatch))
            {
                input = input with { ExpectedVersion = ifMatch };
            }

            return ApiResults.From(await catalog.UpdateAsync(ActorContexts.From(http, "api"), name, input, http.RequestAborted), s => Results.Ok(s));
        }))
            .Accepts<ServiceInput>("application/json")
            .Produces<ServiceDefinition>()
            .ProducesValidationProblem()
            .WithSummary("Replace a service's definition (a new version; expectedVersion or If-Match guards against lost updates).");

        group.MapGet("/{name}/history", async (string name, CatalogService catalog, HttpContext http) =>
            await catalog.FindAsync(name, http.RequestAborted) is null
                ? ApiResults.NotFound($"Service '{name}'")
                : Results.Ok(await catalog.HistoryAsync(name, http.RequestAborted)))
            .Produces<IReadOnlyList<ServiceRevision>>()
            .WithSummary("Every version of the definition, newest first: who changed which fields, when.");

        group.MapGet("/{name}/releases", async (string name, CatalogService catalog, DeploymentService deployments, HttpContext http) =>
            await catalog.FindAsync(name, http.RequestAborted) is null
                ? ApiResults.NotFound($"Service '{name}'")
                : Results.Ok((await deployments.HistoryAsync(http.User.ToPortalPrincipal(), name, http.RequestAborted)).Select(r => ReleaseDto.From(r))))
            .Produces<IEnumerable<ReleaseDto>>()
            .WithSummary("The service's releases in every environment you may see, newest first.");

        group.MapPost("/{name}/promote", (string name, HttpContext http, DeploymentService deployments) => ApiBody.HandleAsync<PromoteRequest>(http.Request, async request =>
        {
            if (string.IsNullOrWhiteSpace(request.From))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["is required: the environment whose running release is promoted"] });
            }

            return ApiResults.From(await deployments.PromoteAsync(ActorContexts.From(http, "api"), name, request.From, request.To, request.Queue, http.RequestAborted),
                o => Results.Accepted($"/api/v1/environments/{o.Release.Environment}/deployments/{o.Release.Id}", DeployOutcomeDto.From(o)));
        }))
            .Accepts<PromoteRequest>("application/json")
            .Produces<DeployOutcomeDto>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .WithSummary("Deploy the release running in one environment (same image and parameters) to the next stage, or to the one named.");

        return api;
    }
}
