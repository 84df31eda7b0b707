namespace Portal.Infrastructure.Seeding;

/// <summary>Settings of the <c>Seed</c> section: demo data the embedded default starts with.</summary>
public sealed class SeedOptions
{
    public const string SectionName = "Seed";

    public List<SeedEnvironment> Environments { get; set; } = [];
}

public sealed class SeedEnvironment
{
    public string Name { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string Tier { get; set; } = "";
}
