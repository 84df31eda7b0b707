using Portal.Core.Alarms;
using static Portal.Core.Tests.Alarms.AlarmTestData;

namespace Portal.Core.Tests.Alarms;

public sealed class AlarmWordingTests
{
    [Fact]
    public void MetricAlarm_ReadsAsASentence() =>
        AlarmWording.Describe(Metric("cpu")).ShouldBe("CPUUtilization above 90 for 3 of 3 periods of 1 minute");

    [Fact]
    public void StatisticComparisonMissingDataAndPeriod_AreAllSaid()
    {
        var alarm = Metric("restarts") with
        {
            Condition = Metric("x").Condition! with
            {
                Metric = new MetricStat("Sandbox/Workloads", "RestartCount", [], "Sum", 300),
                PeriodSeconds = 300,
                EvaluationPeriods = 5,
                DatapointsToAlarm = 1,
                Threshold = 1,
                Comparison = AlarmComparison.GreaterThanOrEqualToThreshold,
                TreatMissingData = MissingDataTreatment.NotBreaching,
            },
        };

        AlarmWording.Describe(alarm).ShouldBe("total RestartCount at or above 1 for 1 of 5 periods of 5 minutes; missing data counts as good");
    }

    [Fact]
    public void MetricMath_UsesTheReturnedQuerysLabel_AndCompositesTheirRule()
    {
        var math = Metric("ratio") with
        {
            Condition = Metric("x").Condition! with
            {
                Metric = null,
                Queries = [new AlarmMetricQuery("e", null, "m1 / m2 * 100", "Error %", true)],
                Threshold = 2.5,
                Comparison = AlarmComparison.LessThanThreshold,
            },
        };
        var composite = Metric("both") with { Kind = AlarmKind.Composite, Condition = null, Rule = "ALARM(a) AND ALARM(b)" };

        AlarmWording.Describe(math).ShouldBe("Error % below 2.5 for 3 of 3 periods of 1 minute");
        AlarmWording.Describe(composite).ShouldBe("When ALARM(a) AND ALARM(b) holds");
    }

    [Theory]
    [InlineData(10, "10 seconds")]
    [InlineData(60, "1 minute")]
    [InlineData(120, "2 minutes")]
    [InlineData(3600, "1 hour")]
    [InlineData(21600, "6 hours")]
    [InlineData(86400, "1 day")]
    [InlineData(90, "90 seconds")]
    public void Periods(int seconds, string expected) => AlarmWording.Period(seconds).ShouldBe(expected);
}
