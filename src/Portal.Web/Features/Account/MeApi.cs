using Portal.Core.Authorization;
using Portal.Core.Tokens;
using Portal.Web.Api;
using Portal.Web.SignIn;

namespace Portal.Web.Features.Account;

public sealed record MeDto(string UserName, string DisplayName, IReadOnlyCollection<string> Groups, bool ViaToken,
    IReadOnlyCollection<string>? TokenEnvironments, IReadOnlyList<EnvironmentAccessDto> Access);

public sealed record EnvironmentAccessDto(string Environment, IReadOnlyList<PermissionGrantDto> Permissions);

public sealed record PermissionGrantDto(string Permission, string GrantedBy);

public sealed record TokenDto(Guid Id, string Name, string Prefix, IReadOnlyList<string>? Environments,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt)
{
    public static TokenDto From(AccessToken t) => new(t.Id, t.Name, t.Prefix, t.Environments, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt);
}

/// <summary>The new token's value is in <see cref="Token"/>, shown this once and never again.</summary>
public sealed record CreatedTokenDto(string Token, TokenDto Details);

internal static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Me");

        me.MapGet("/", async (HttpContext http, AccessService access) =>
        {
            var who = http.User.ToPortalPrincipal();
            var effective = await access.ForUserAsync(who, who.UserName, http.RequestAborted) ?? [];
            return Results.Ok(new MeDto(who.UserName, who.DisplayName, [.. who.Groups.Order(StringComparer.Ordinal)], who.ViaToken,
                who.TokenEnvironments is null ? null : [.. who.TokenEnvironments.Order(StringComparer.Ordinal)],
                [.. effective.Select(e => new EnvironmentAccessDto(e.Environment.Name,
                    [.. e.Grants.Select(g => new PermissionGrantDto(g.Permission, g.GrantedBy?.Describe() ?? g.Reason))]))]));
        }).WithSummary("Who you are, your groups, and what you may do in each environment.");

        me.MapGet("/tokens", async (HttpContext http, AccessTokenService tokens) =>
            Results.Ok((await tokens.ListAsync(http.User.ToPortalPrincipal(), http.RequestAborted)).Select(TokenDto.From)))
            .WithSummary("Your personal access tokens (never their values).");

        me.MapPost("/tokens", (HttpContext http, AccessTokenService tokens) => ApiBody.HandleAsync<CreateTokenRequest>(http.Request, async request =>
            ApiResults.From(await tokens.CreateAsync(ActorContexts.From(http, "api"), request, http.RequestAborted), t => Results.Created($"/api/v1/me/tokens/{t.Token.Id}", new CreatedTokenDto(t.Value, TokenDto.From(t.Token))))))
        .Accepts<CreateTokenRequest>("application/json")
        .Produces<CreatedTokenDto>(StatusCodes.Status201Created)
        .WithSummary("Create a personal access token; its value is in the answer, once.");

        api.MapGet("/users/{name}/access", async (string name, HttpContext http, AccessService access) =>
            await access.ForUserAsync(http.User.ToPortalPrincipal(), name, http.RequestAborted) is { } effective
                ? Results.Ok(effective.Select(e => new EnvironmentAccessDto(e.Environment.Name,
                    [.. e.Grants.Select(g => new PermissionGrantDto(g.Permission, g.GrantedBy?.Describe() ?? g.Reason))])))
                : ApiResults.NotFound($"User '{name}'"))
            .WithTags("Me")
            .WithSummary("What a user may do in each environment, with the binding behind each permission (yourself, or anyone for a PortalAdmin).");

        me.MapDelete("/tokens/{id:guid}", async (Guid id, HttpContext http, AccessTokenService tokens) =>
            ApiResults.From(await tokens.RevokeAsync(ActorContexts.From(http, "api"), id, http.RequestAborted), _ => Results.NoContent()))
            .WithSummary("Revoke one of your tokens.");
        return api;
    }
}
