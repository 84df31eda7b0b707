using Portal.Core.Costs;

namespace Portal.Core.Tests.Costs;

public class CostPricingTests
{
    private static readonly ClusterPrices Prices = new()
    {
        NodeTypes = new Dictionary<string, decimal>(StringComparer.Ordinal) { ["m5.xlarge"] = 0.214m },
        DefaultNodeHourly = 0.5m,
    };

    [Fact]
    public void NodeHourly_ListedType_ItsPrice() =>
        CostPricing.NodeHourly(Prices, "m5.xlarge").ShouldBe(0.214m);

    [Theory]
    [InlineData("c7g.medium")]
    [InlineData("M5.XLARGE")]
    [InlineData(null)]
    public void NodeHourly_TypeMissingFromTheList_DefaultPrice(string? instanceType) =>
        CostPricing.NodeHourly(Prices, instanceType).ShouldBe(0.5m);

    [Fact]
    public void Split_M5XLargeWithOpenCostRatio_PartsAddUpToTheNodePrice()
    {
        var (cpu, memory) = CostPricing.Split(0.214m, 4, 16, 7.46m);

        // memory = 0.214 / (4 × 7.46 + 16) = 0.214 / 45.84 = 0.004668411867364746945898778…
        Math.Round(memory, 15).ShouldBe(0.004668411867365m);
        // cpu = 7.46 × memory = 0.034826352530541012216404886…
        Math.Round(cpu, 15).ShouldBe(0.034826352530541m);
        // 4 × cpu + 16 × memory = 0.214 (to decimal's 28 digits)
        Math.Round((4 * cpu) + (16 * memory), 20).ShouldBe(0.214m);
        // the ratio holds: cpu / memory = 7.46
        Math.Round(cpu / memory, 20).ShouldBe(7.46m);
    }

    [Theory]
    // weight = 2 × 1 + 2 = 4: memory 0.4 / 4 = 0.1, cpu 1 × 0.1 = 0.1
    [InlineData(0.4, 2, 2, 1, 0.1, 0.1)]
    // weight = 1 × 3 + 1 = 4: memory 0.1, cpu 3 × 0.1 = 0.3
    [InlineData(0.4, 1, 1, 3, 0.3, 0.1)]
    // weight = 2 × 4 + 8 = 16: memory 0.32 / 16 = 0.02, cpu 4 × 0.02 = 0.08
    [InlineData(0.32, 2, 8, 4, 0.08, 0.02)]
    public void Split_RoundShapes_ExactUnitPrices(double hourly, double cores, double gib, double ratio, double cpu, double memory) =>
        CostPricing.Split((decimal)hourly, cores, gib, (decimal)ratio).ShouldBe(((decimal)cpu, (decimal)memory));

    [Fact]
    public void Split_NodeWithoutCapacity_NoUnitPrices() =>
        CostPricing.Split(0.214m, 0, 0, 7.46m).ShouldBe((0m, 0m));
}
