namespace Portal.Infrastructure.Seeding;

/// <summary>Settings of the <c>Seed</c> section: demo data the embedded default starts with.</summary>
public sealed class SeedOptions
{
    public const string SectionName = "Seed";

    public List<SeedEnvironment> Environments { get; set; } = [];

    public List<SeedRoleBinding> RoleBindings { get; set; } = [];

    /// <summary>Catalog services (the demo cluster's), registered when missing.</summary>
    public List<SeedService> Services { get; set; } = [];
}

/// <summary>A catalog service for the demo: one HTTP port, requests as limits' half.</summary>
public sealed class SeedService
{
    public string Name { get; set; } = "";

    public string OwningTeam { get; set; } = "";

    public string Description { get; set; } = "";

    public string ImageRepository { get; set; } = "";

    public string? RepositoryUrl { get; set; }

    public int Port { get; set; } = 8080;

    public string? HealthCheckPath { get; set; }

    public int Replicas { get; set; } = 1;

    public string Cpu { get; set; } = "100m";

    public string Memory { get; set; } = "128Mi";

    public string? IngressHostPattern { get; set; }

    public string? Runbook { get; set; }

    public string? Dashboard { get; set; }

    public Portal.Core.Catalog.ServiceInput ToInput() => new()
    {
        Name = Name,
        OwningTeam = OwningTeam,
        Description = Description,
        ImageRepository = ImageRepository,
        RepositoryUrl = RepositoryUrl,
        Ports = [new Portal.Core.Catalog.ServicePort("http", Port)],
        HealthCheckPath = HealthCheckPath,
        DefaultReplicas = Replicas,
        Resources = new Portal.Core.Catalog.ResourceSettings(Cpu, "", Memory, ""),
        IngressHostPattern = IngressHostPattern,
        Links = new Portal.Core.Catalog.ServiceLinks(Runbook, Dashboard),
    };
}

public sealed class SeedEnvironment
{
    public string Name { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string Tier { get; set; } = "";

    public string OwningTeam { get; set; } = "platform";

    public string CostCentre { get; set; } = "shared";

    public decimal MonthlyBudget { get; set; }
}

/// <summary>A role binding to create at start-up when no identical one exists. Scope: all, tier:&lt;tier&gt; or env:&lt;name&gt;.</summary>
public sealed class SeedRoleBinding
{
    public string SubjectKind { get; set; } = "User";

    public string Subject { get; set; } = "";

    public string Role { get; set; } = "";

    public string Scope { get; set; } = "all";
}
