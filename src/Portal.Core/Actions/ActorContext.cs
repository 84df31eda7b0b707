using Portal.Core.Authorization;

namespace Portal.Core.Actions;

/// <summary>Who acts, through which channel (ui, api, cli), from which address, under which correlation id.</summary>
public sealed record ActorContext(PortalPrincipal Principal, string Channel, string? ClientAddress, string CorrelationId)
{
    public static ActorContext Cli(PortalPrincipal principal) => new(principal, "cli", null, Guid.NewGuid().ToString("N"));
}
