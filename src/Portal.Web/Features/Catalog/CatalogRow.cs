namespace Portal.Web.Features.Catalog;

/// <summary>A row of the catalog: the service and what runs of it in each environment.</summary>
public sealed record CatalogRow(string Name, string OwningTeam, string Description, IReadOnlyDictionary<string, ServiceStage> Stages)
{
    public ServiceStage? Stage(string environment) => Stages.GetValueOrDefault(environment);

    public bool Matches(string? filter) =>
        string.IsNullOrWhiteSpace(filter)
        || Name.Contains(filter.Trim(), StringComparison.OrdinalIgnoreCase)
        || OwningTeam.Contains(filter.Trim(), StringComparison.OrdinalIgnoreCase);
}
