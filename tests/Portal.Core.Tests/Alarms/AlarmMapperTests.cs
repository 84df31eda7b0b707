using Portal.Core.Alarms;
using static Portal.Core.Tests.Alarms.AlarmTestData;

namespace Portal.Core.Tests.Alarms;

public sealed class AlarmMapperTests
{
    private static readonly IReadOnlyCollection<Portal.Core.Environments.PortalEnvironment> Environments =
        [Environment("dev", "dev"), Environment("prod", "shop-prod")];

    [Fact]
    public void Tags_WinOverDimensionsAndName()
    {
        var alarm = Metric("dev/cart/cpu-high", ("Namespace", "dev"), ("Service", "cart")) with
        {
            Tags = new Dictionary<string, string> { ["portal:environment"] = "prod", ["portal:service"] = "payments", ["severity"] = "critical" },
        };

        new AlarmMapper(new AlarmMappingOptions()).Place(alarm, Environments).ShouldBe(new AlarmPlacement("prod", "payments", AlarmSeverity.Critical));
    }

    [Fact]
    public void Dimensions_NameTheNamespace_WhichResolvesToItsEnvironment()
    {
        var alarm = Metric("HighCPU", ("ClusterName", "eks-1"), ("Namespace", "shop-prod"), ("Service", "checkout"));

        var placement = new AlarmMapper(new AlarmMappingOptions()).Place(alarm, Environments);

        placement.Environment.ShouldBe("prod");
        placement.Service.ShouldBe("checkout");
    }

    [Fact]
    public void NamePattern_IsTheLastResort_AndAnUnknownEnvironmentLeavesNone()
    {
        var mapper = new AlarmMapper(new AlarmMappingOptions());

        mapper.Place(Metric("dev/cart/5xx-rate"), Environments).ShouldBe(new AlarmPlacement("dev", "cart", AlarmSeverity.Warning));
        mapper.Place(Metric("qa/cart/5xx-rate"), Environments).Environment.ShouldBeNull("qa is no environment Portal has");
        mapper.Place(Metric("no-pattern-here"), Environments).ShouldBe(new AlarmPlacement(null, null, AlarmSeverity.Warning));
    }

    [Fact]
    public void CustomDimensionNames_AndNoNamePattern_AreHonoured()
    {
        var options = new AlarmMappingOptions { EnvironmentDimensions = ["Stage"], ServiceDimensions = ["App"], NamePattern = null };
        var mapper = new AlarmMapper(options);

        mapper.Place(Metric("dev/cart/x", ("Namespace", "dev"), ("Stage", "prod"), ("App", "search")), Environments)
            .ShouldBe(new AlarmPlacement("prod", "search", AlarmSeverity.Warning));
        mapper.Place(Metric("dev/cart/x", ("Namespace", "dev")), Environments).Environment.ShouldBeNull("Namespace is no longer an environment dimension");
    }

    [Fact]
    public void MetricMathAlarms_AreMappedByTheDimensionsOfTheMetricsTheyRead()
    {
        var alarm = Metric("errors-ratio") with
        {
            Condition = Metric("x").Condition! with
            {
                Metric = null,
                Queries =
                [
                    new AlarmMetricQuery("e", new MetricStat("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", [new("Namespace", "dev"), new("Service", "cart")], "Sum", 60), null, null, false),
                    new AlarmMetricQuery("ratio", null, "e / 100", "5xx %", true),
                ],
            },
        };

        new AlarmMapper(new AlarmMappingOptions()).Place(alarm, Environments).ShouldBe(new AlarmPlacement("dev", "cart", AlarmSeverity.Warning));
    }

    [Theory]
    [InlineData("checkout-latency-CRITICAL", AlarmSeverity.Critical)]
    [InlineData("checkout high latency", AlarmSeverity.High)]
    [InlineData("disk info", AlarmSeverity.Info)]
    [InlineData("disk-space", AlarmSeverity.Warning)]
    public void Severity_FromTheNameWhenNoTag(string name, AlarmSeverity expected) =>
        new AlarmMapper(new AlarmMappingOptions()).Place(Metric(name), Environments).Severity.ShouldBe(expected);

    [Theory]
    [InlineData("P1", AlarmSeverity.Critical)]
    [InlineData("sev2", AlarmSeverity.High)]
    [InlineData("whatever", AlarmSeverity.Info)]
    public void Severity_TagValues_AndUnknownOnesFallBackToTheDefault(string tag, AlarmSeverity expected)
    {
        var options = new AlarmMappingOptions { DefaultSeverity = AlarmSeverity.Info };
        var alarm = Metric("critical-sounding-name") with { Tags = new Dictionary<string, string> { ["severity"] = tag } };

        new AlarmMapper(options).Place(alarm, Environments).Severity.ShouldBe(expected);
    }
}
