using Portal.Core.Costs;
using Portal.Web.Features.Costs;

namespace Portal.Web.Tests.Features.Costs;

/// <summary>A bad Costs setting fails start-up with a message that names its key.</summary>
public sealed class CostsOptionsValidatorTests
{
    private static IEnumerable<string> Failures(CostsOptions options) =>
        new CostsOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void Validate_Defaults_Succeed() =>
        new CostsOptionsValidator().Validate(null, new CostsOptions()).Succeeded.ShouldBeTrue();

    [Theory]
    [InlineData(30)]
    [InlineData(7 * 60)]
    [InlineData(2 * 60 * 60)]
    public void Validate_SampleIntervalOutOfRangeOrNotDividingAnHour_NamesTheKey(int seconds) =>
        Failures(new CostsOptions { SampleInterval = TimeSpan.FromSeconds(seconds) })
            .ShouldContain(f => f.StartsWith("Costs:SampleInterval must be between 1 minute and 1 hour and divide an hour", StringComparison.Ordinal));

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(60)]
    public void Validate_SampleIntervalDividingAnHour_Succeeds(int minutes) =>
        Failures(new CostsOptions { SampleInterval = TimeSpan.FromMinutes(minutes) }).ShouldBeEmpty();

    [Fact]
    public void Validate_NegativeNodePriceAndZeroRatio_NameTheClusterAndTheKey()
    {
        var prod = new ClusterPrices { CpuToMemoryPriceRatio = 0 };
        prod.NodeTypes["m5.large"] = -0.1m;
        var options = new CostsOptions();
        options.Clusters["prod"] = prod;

        var failures = Failures(options).ToList();

        failures.ShouldContain(f => f.StartsWith("Costs:Clusters:prod:NodeTypes:m5.large must not be negative", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("Costs:Clusters:prod:CpuToMemoryPriceRatio must be greater than 0", StringComparison.Ordinal));
        failures.Count.ShouldBe(2, "the default \"*\" prices are fine");
    }

    [Fact]
    public void Validate_IdleSettings_NameTheirKeys()
    {
        var failures = Failures(new CostsOptions { IdleAfterDays = 0, IdleCpuUsageShare = 1.5 }).ToList();

        failures.ShouldContain(f => f.StartsWith("Costs:IdleAfterDays must be at least 1", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("Costs:IdleCpuUsageShare must be between 0 and 1", StringComparison.Ordinal));
        Failures(new CostsOptions { IdleCpuUsageShare = -0.01 }).ShouldContain(f => f.StartsWith("Costs:IdleCpuUsageShare", StringComparison.Ordinal));
        Failures(new CostsOptions { IdleCpuUsageShare = double.NaN }).ShouldContain(f => f.StartsWith("Costs:IdleCpuUsageShare", StringComparison.Ordinal));
    }
}
