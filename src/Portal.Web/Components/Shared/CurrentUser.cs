using Microsoft.AspNetCore.Components.Authorization;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Web.SignIn;

namespace Portal.Web.Components.Shared;

/// <summary>
/// The circuit's user, for event handlers: who they are and the <see cref="ActorContext"/> (channel "ui", the
/// circuit's client address) every guarded action needs.
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication, IHttpContextAccessor http)
{
    // Captured when the circuit's scope is created, during the connection's own request.
    private readonly string? _clientAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString();

    public async Task<PortalPrincipal> PrincipalAsync() => (await authentication.GetAuthenticationStateAsync()).User.ToPortalPrincipal();

    public async Task<ActorContext> ActorAsync() => new(await PrincipalAsync(), "ui", _clientAddress, Guid.NewGuid().ToString("N"));
}
