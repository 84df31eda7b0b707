using Portal.Core.Costs;

namespace Portal.Core.Tests.Costs;

public class CostForecastTests
{
    private static readonly DateTimeOffset Now = new(2026, 2, 14, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RunRate_CoveredHoursOfTheLastSevenDays_CostOverCoveredTime()
    {
        var rate = CostForecast.RunRate(
        [
            (Now.AddDays(-8), 100m, 1.0),   // older than 7 days: left out
            (Now.AddHours(-2), 0.1m, 0.5),  // half an hour sampled
            (Now.AddHours(-1), 0.3m, 1.0),
            (Now.AddHours(-3), 0m, 0.0),    // not sampled: neither cost nor time
            (Now.AddHours(1), 100m, 1.0),   // after now: left out
        ], Now);

        rate.ShouldBe(0.4m / 1.5m); // (0.1 + 0.3) / (0.5 + 1.0) h
    }

    [Fact]
    public void RunRate_NothingCovered_Null()
    {
        CostForecast.RunRate([], Now).ShouldBeNull();
        CostForecast.RunRate([(Now.AddDays(-9), 5m, 1.0)], Now).ShouldBeNull();
    }

    [Fact]
    public void Forecast_MidFebruary_MonthToDatePlusRateTimesHoursLeft() =>
        // 14 Feb 12:00 to 1 Mar 00:00 = 14.5 days = 348 h: 10 + 0.1 × 348 = 44.8
        CostForecast.Forecast(10m, 0.1m, Now).ShouldBe(44.8m);

    [Fact]
    public void Forecast_LastHourOfTheMonth_OneHourLeft() =>
        CostForecast.Forecast(10m, 0.5m, new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero)).ShouldBe(10.5m);

    [Fact]
    public void Forecast_NoRunRate_Null() =>
        CostForecast.Forecast(10m, null, Now).ShouldBeNull();
}
