namespace Portal.Core.Catalog;

/// <summary>A port the service's container listens on; the Service in front of its pods exposes the same.</summary>
public sealed record ServicePort(string Name, int Port, string Protocol = "TCP");

/// <summary>An environment variable filled from a key of a Kubernetes Secret: names only, never the value.</summary>
public sealed record SecretReference(string EnvName, string Secret, string Key);

/// <summary>CPU and memory requests and limits, as Kubernetes quantities ("250m", "256Mi"); a limit may be empty.</summary>
public sealed record ResourceSettings(string CpuRequest, string CpuLimit, string MemoryRequest, string MemoryLimit)
{
    public static ResourceSettings Default { get; } = new("100m", "500m", "128Mi", "256Mi");
}

/// <summary>Where people go from a service: its runbook and its dashboard.</summary>
public sealed record ServiceLinks(string? Runbook = null, string? Dashboard = null);

/// <summary>
/// A service in the catalog: what it is, who owns it, and the defaults every deployment of it starts from. Versioned:
/// every change bumps <see cref="Version"/> and keeps the previous definition in its history.
/// </summary>
public sealed record ServiceDefinition
{
    public required string Name { get; init; }

    public required string OwningTeam { get; init; }

    public string Description { get; init; } = "";

    public string? RepositoryUrl { get; init; }

    /// <summary>The image without tag, e.g. <c>registry.example.com/shop/orders</c>.</summary>
    public required string ImageRepository { get; init; }

    public IReadOnlyList<ServicePort> Ports { get; init; } = [new("http", 8080)];

    /// <summary>The readiness and liveness probe's path on the first port; none means no probe.</summary>
    public string? HealthCheckPath { get; init; }

    public int DefaultReplicas { get; init; } = 1;

    public ResourceSettings Resources { get; init; } = ResourceSettings.Default;

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<SecretReference> Secrets { get; init; } = [];

    /// <summary>The ingress host, with <c>{service}</c> and <c>{environment}</c> placeholders: <c>{service}.{environment}.example.com</c>.</summary>
    public string? IngressHostPattern { get; init; }

    public ServiceLinks Links { get; init; } = new();

    public string CreatedBy { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public string UpdatedBy { get; init; } = "";

    public DateTimeOffset UpdatedAt { get; init; }

    public int Version { get; init; } = 1;

    public string? IngressHostFor(string environment) =>
        IngressHostPattern?.Replace("{service}", Name, StringComparison.Ordinal).Replace("{environment}", environment, StringComparison.Ordinal);
}

/// <summary>One version of a service's definition, kept when it was replaced: who changed what, and when.</summary>
public sealed record ServiceRevision(string Service, int Version, ServiceDefinition Definition, string ChangedBy, DateTimeOffset ChangedAt, IReadOnlyList<string> Changed);
