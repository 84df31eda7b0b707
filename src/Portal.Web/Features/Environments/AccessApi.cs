using Portal.Core.Authorization;
using Portal.Web.Api;
using Portal.Web.SignIn;

namespace Portal.Web.Features.Environments;

/// <summary>A role binding as the API shows it, with what it grants where it is listed.</summary>
public sealed record RoleBindingDto(Guid Id, SubjectKind SubjectKind, string Subject, string Role, string Scope,
    DateTimeOffset? ExpiresAt, bool Active, string CreatedBy, DateTimeOffset CreatedAt, IReadOnlyList<string>? Permissions)
{
    public static RoleBindingDto From(RoleBinding b, bool active = true, IReadOnlyList<string>? permissions = null) => new(
        b.Id, b.SubjectKind, b.Subject, b.Role,
        b.Scope.Kind switch { BindingScopeKind.All => "all", BindingScopeKind.Tier => $"tier:{b.Scope.Value}", _ => $"env:{b.Scope.Value}" },
        b.ExpiresAt, active, b.CreatedBy, b.CreatedAt, permissions);
}

internal static class AccessApi
{
    public static RouteGroupBuilder MapAccessApi(this RouteGroupBuilder api)
    {
        var environment = api.MapGroup("/environments/{name}/access").WithTags("Access");

        environment.MapGet("/", async (string name, HttpContext http, AccessService access) =>
            await access.ForEnvironmentAsync(http.User.ToPortalPrincipal(), name, http.RequestAborted) is { } grants
                ? Results.Ok(grants.Select(g => RoleBindingDto.From(g.Binding, g.Active, g.Permissions)))
                : ApiResults.NotFound($"Access of environment '{name}'"))
            .WithSummary("Every role binding that applies to the environment, and what each grants there.");

        environment.MapPost("/", (string name, HttpContext http, AccessService access) => ApiBody.HandleAsync<GrantRequest>(http.Request, async request =>
            ApiResults.From(await access.GrantAsync(ActorContexts.From(http, "api"), name, request, http.RequestAborted), b => Results.Created($"/api/v1/environments/{name}/access/{b.Id}", RoleBindingDto.From(b)))))
        .Accepts<GrantRequest>("application/json")
        .Produces<RoleBindingDto>(StatusCodes.Status201Created)
        .ProducesValidationProblem()
        .WithSummary("Give a user or group a role on the environment, optionally for a number of hours.");

        environment.MapDelete("/{id:guid}", async (string name, Guid id, HttpContext http, AccessService access) =>
            ApiResults.From(await access.RevokeAsync(ActorContexts.From(http, "api"), name, id, http.RequestAborted), _ => Results.NoContent()))
            .WithSummary("Remove a role binding from the environment.");

        var organisation = api.MapGroup("/access").WithTags("Access");
        organisation.MapGet("/", async (HttpContext http, AccessService access) =>
            await access.OrganisationAsync(http.User.ToPortalPrincipal(), http.RequestAborted) is { } org
                ? Results.Ok(org.Bindings.Select(b => RoleBindingDto.From(b)))
                : ApiResults.Forbidden(AccessDecider.MissingRoleReason(Permissions.AdminManage, null), Permissions.AdminManage, null))
            .WithSummary("Bindings on a tier or on all environments; PortalAdmin only.");
        organisation.MapPost("/", (HttpContext http, AccessService access) => ApiBody.HandleAsync<GrantRequest>(http.Request, async request =>
            ApiResults.From(await access.GrantOrganisationAsync(ActorContexts.From(http, "api"), request, http.RequestAborted), b => Results.Created($"/api/v1/access/{b.Id}", RoleBindingDto.From(b)))))
        .Accepts<GrantRequest>("application/json")
        .Produces<RoleBindingDto>(StatusCodes.Status201Created)
        .WithSummary("Organisation-wide grant (scope all or tier:<tier>); PortalAdmin only.");

        organisation.MapDelete("/{id:guid}", async (Guid id, HttpContext http, AccessService access) =>
            ApiResults.From(await access.RevokeOrganisationAsync(ActorContexts.From(http, "api"), id, http.RequestAborted), _ => Results.NoContent()))
            .WithSummary("Remove any role binding; PortalAdmin only.");
        return api;
    }
}
