using Portal.Core.Authorization;

namespace Portal.Core.Actions;

/// <summary>Who acts, through which channel (ui, api, cli), from which address, under which correlation id.</summary>
public sealed record ActorContext(PortalPrincipal Principal, string Channel, string? ClientAddress, string CorrelationId)
{
    /// <summary>The command line: run on the host with its data directory, so trusted like <c>migrate</c>.</summary>
    public const string CliChannel = "cli";

    public static ActorContext Cli(PortalPrincipal principal) => new(principal, CliChannel, null, Guid.NewGuid().ToString("N"));
}
