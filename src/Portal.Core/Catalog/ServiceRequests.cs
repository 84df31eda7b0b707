namespace Portal.Core.Catalog;

/// <summary>A service as a person enters it (form or API): every field optional, so validation names what is missing.</summary>
public sealed record ServiceInput
{
    public string? Name { get; init; }

    public string? OwningTeam { get; init; }

    public string? Description { get; init; }

    public string? RepositoryUrl { get; init; }

    public string? ImageRepository { get; init; }

    public IReadOnlyList<ServicePort>? Ports { get; init; }

    public string? HealthCheckPath { get; init; }

    public int? DefaultReplicas { get; init; }

    public ResourceSettings? Resources { get; init; }

    public IReadOnlyDictionary<string, string>? Env { get; init; }

    public IReadOnlyList<SecretReference>? Secrets { get; init; }

    public string? IngressHostPattern { get; init; }

    public ServiceLinks? Links { get; init; }

    /// <summary>For an edit: the version it was made against; a newer stored version is a conflict.</summary>
    public int? ExpectedVersion { get; init; }

    public static ServiceInput From(ServiceDefinition s) => new()
    {
        Name = s.Name,
        OwningTeam = s.OwningTeam,
        Description = s.Description,
        RepositoryUrl = s.RepositoryUrl,
        ImageRepository = s.ImageRepository,
        Ports = s.Ports,
        HealthCheckPath = s.HealthCheckPath,
        DefaultReplicas = s.DefaultReplicas,
        Resources = s.Resources,
        Env = s.Env,
        Secrets = s.Secrets,
        IngressHostPattern = s.IngressHostPattern,
        Links = s.Links,
        ExpectedVersion = s.Version,
    };
}
