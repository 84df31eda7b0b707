using Portal.Core.Authorization;

namespace Portal.Core.Environments;

/// <summary>Port: the environments a user may pick, for the shell's switcher.</summary>
public interface IEnvironmentCatalog
{
    /// <summary>The environments <paramref name="who"/> may see, ordered by tier (dev first) then name.</summary>
    Task<IReadOnlyList<EnvironmentSummary>> ListAsync(PortalPrincipal who, CancellationToken cancellationToken);
}
