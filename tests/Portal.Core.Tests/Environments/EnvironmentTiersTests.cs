using Portal.Core.Environments;

namespace Portal.Core.Tests.Environments;

public class EnvironmentTiersTests
{
    [Theory]
    [InlineData("dev", EnvironmentTier.Dev)]
    [InlineData("test", EnvironmentTier.Test)]
    [InlineData("staging", EnvironmentTier.Staging)]
    [InlineData("prod", EnvironmentTier.Prod)]
    public void TryParse_WireForm_RoundTrips(string wire, EnvironmentTier tier)
    {
        EnvironmentTiers.TryParse(wire, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(tier);
        tier.ToWire().ShouldBe(wire);
    }

    [Theory]
    [InlineData("Prod")]
    [InlineData("production")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("3")]
    public void TryParse_UnknownTier_ReturnsFalse(string? wire) => EnvironmentTiers.TryParse(wire, out _).ShouldBeFalse();

    [Fact]
    public void IsProtected_OnlyProd() =>
        EnvironmentTiers.All.Where(t => t.IsProtected()).ShouldBe([EnvironmentTier.Prod]);
}
