using Portal.Core.Costs;

namespace Portal.Core.Tests.Costs;

public class BudgetThresholdsTests
{
    private static IReadOnlyList<(int, BudgetBasis)> Crossed(decimal monthToDate, decimal? forecast, decimal budget = 100m) =>
        BudgetThresholds.Crossed(new MonthCost("2026-11", monthToDate, forecast, budget, null, null));

    [Fact]
    public void Crossed_JustBelowEighty_None() =>
        Crossed(79.99m, 79.99m).ShouldBeEmpty();

    [Fact]
    public void Crossed_ExactlyEightyActual_EightyActualAndForecast() =>
        Crossed(80m, 99.99m).ShouldBe([(80, BudgetBasis.Actual), (80, BudgetBasis.Forecast)]);

    [Fact]
    public void Crossed_ForecastAtHundred_BothThresholdsByForecastOnly() =>
        Crossed(79.99m, 100m).ShouldBe([(80, BudgetBasis.Forecast), (100, BudgetBasis.Forecast)]);

    [Fact]
    public void Crossed_HundredActual_AllFour() =>
        Crossed(100m, 130m).ShouldBe([(80, BudgetBasis.Actual), (80, BudgetBasis.Forecast), (100, BudgetBasis.Actual), (100, BudgetBasis.Forecast)]);

    [Fact]
    public void Crossed_NoForecast_ActualOnly() =>
        Crossed(85m, null).ShouldBe([(80, BudgetBasis.Actual)]);

    [Fact]
    public void Crossed_ThresholdOfAnOddBudget_PercentOfIt()
    {
        // 80 % of 250 = 200
        Crossed(199.99m, null, 250m).ShouldBeEmpty();
        Crossed(200m, null, 250m).ShouldBe([(80, BudgetBasis.Actual)]);
    }

    [Fact]
    public void Crossed_NoBudget_None() =>
        Crossed(1000m, 2000m, budget: 0m).ShouldBeEmpty();
}
