namespace Portal.Core.Environments;

/// <summary>Port: reads the environments Portal knows about.</summary>
public interface IEnvironmentCatalog
{
    /// <summary>Every environment, ordered by tier (dev first) then name.</summary>
    Task<IReadOnlyList<EnvironmentSummary>> ListAsync(CancellationToken cancellationToken);
}
