using Portal.Infrastructure.Seeding;

namespace Portal.Infrastructure.Tests.Seeding;

public class SeedOptionsValidatorTests
{
    [Fact]
    public void Validate_GoodEnvironments_Succeeds() =>
        new SeedOptionsValidator().Validate(null, Options(("dev", "Development", "dev"), ("prod", "Production", "prod"))).Succeeded.ShouldBeTrue();

    [Fact]
    public void Validate_BadEntries_NameEachKey()
    {
        var result = new SeedOptionsValidator().Validate(null, Options(("Dev!", "Dev", "dev"), ("qa", "", "quality"), ("qa", "QA again", "test")));

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldContain(f => f.StartsWith("Seed:Environments:0:Name:", StringComparison.Ordinal));
        result.Failures.ShouldContain(f => f.StartsWith("Seed:Environments:1:DisplayName:", StringComparison.Ordinal));
        result.Failures.ShouldContain(f => f.StartsWith("Seed:Environments:1:Tier: 'quality'", StringComparison.Ordinal));
        result.Failures.ShouldContain(f => f.StartsWith("Seed:Environments:2:Name: 'qa' is listed twice", StringComparison.Ordinal));
    }

    internal static SeedOptions Options(params (string Name, string DisplayName, string Tier)[] environments) => new()
    {
        Environments = [.. environments.Select(e => new SeedEnvironment { Name = e.Name, DisplayName = e.DisplayName, Tier = e.Tier })],
    };
}
