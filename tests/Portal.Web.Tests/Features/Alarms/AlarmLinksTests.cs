using Portal.Web.Features.Alarms;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>The alarm pages' URLs: names with slashes keep them as path segments; everything else is escaped.</summary>
public sealed class AlarmLinksTests
{
    [Theory]
    [InlineData("dev/cart/5xx-rate", "alarms/dev/cart/5xx-rate")]
    [InlineData("dev/cart/latency p99", "alarms/dev/cart/latency%20p99")]
    [InlineData("CPU > 80% #1?", "alarms/CPU%20%3E%2080%25%20%231%3F")]
    public void Alarm_EscapesEachSegment(string name, string expected) => AlarmLinks.Alarm(name).ShouldBe(expected);

    [Fact]
    public void Alarm_WithTheDefaultRange_LeavesItOut() =>
        (AlarmLinks.Alarm("dev/cart/5xx", AlarmRanges.Default), AlarmLinks.Alarm("dev/cart/5xx", "24h"))
            .ShouldBe(("alarms/dev/cart/5xx", "alarms/dev/cart/5xx?range=24h"));

    [Theory]
    [InlineData("dev/cart/5xx-rate", "dev/cart/5xx-rate")]
    [InlineData("dev%2Fcart%2F5xx-rate", "dev/cart/5xx-rate")]
    [InlineData("dev%2fcart/5xx", "dev/cart/5xx")]
    [InlineData(null, "")]
    public void NameFromRoute_ReadsEscapedSlashesAsSlashes(string? value, string expected) => AlarmLinks.NameFromRoute(value).ShouldBe(expected);

    [Fact]
    public void Investigate_PutsTheNameAndTheWindowInTheQuery()
    {
        var from = new DateTimeOffset(2026, 11, 22, 9, 45, 0, TimeSpan.Zero);

        AlarmLinks.Investigate("dev/cart/5xx rate").ShouldBe("investigate?alarm=dev%2Fcart%2F5xx%20rate");
        AlarmLinks.Investigate("dev/cart/5xx", from, from.AddHours(1))
            .ShouldBe("investigate?alarm=dev%2Fcart%2F5xx&from=2026-11-22T09%3A45%3A00Z&to=2026-11-22T10%3A45%3A00Z");
        AlarmLinks.Investigate("dev/cart/5xx", from, null).ShouldBe("investigate?alarm=dev%2Fcart%2F5xx", "a window needs both ends");
    }

    [Fact]
    public void Trail_AndService_EscapeTheirParts()
    {
        AlarmLinks.Trail("prod").ShouldBe("environments/prod/trail");
        AlarmLinks.Service("dev", "cart web").ShouldBe("environments/dev/workloads?service=cart%20web");
    }
}
