namespace Portal.Infrastructure.Seeding;

/// <summary>Settings of the <c>Seed</c> section: demo data the embedded default starts with.</summary>
public sealed class SeedOptions
{
    public const string SectionName = "Seed";

    public List<SeedEnvironment> Environments { get; set; } = [];

    public List<SeedRoleBinding> RoleBindings { get; set; } = [];
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
