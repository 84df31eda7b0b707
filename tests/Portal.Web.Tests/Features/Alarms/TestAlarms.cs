using Portal.Core.Alarms;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>Alarms as CloudWatch would describe them, for the alarm API's, pages' and components' tests.</summary>
public static class TestAlarms
{
    /// <summary>A single-metric alarm: HTTP5xxRate above 5 for 2 of 3 periods of 1 minute; severity from its tag when given.</summary>
    public static Alarm Metric(string name, AlarmState state, DateTimeOffset changed, string? severity = null) => new()
    {
        Name = name,
        Arn = $"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}",
        Kind = AlarmKind.Metric,
        Account = "test",
        State = state,
        StateReason = $"Threshold Crossed: state {state}",
        StateChangedAt = changed,
        Condition = new AlarmCondition
        {
            Metric = new MetricStat("Sandbox/Workloads", "HTTP5xxRate", [], "Average", 60),
            PeriodSeconds = 60,
            EvaluationPeriods = 3,
            DatapointsToAlarm = 2,
            Threshold = 5,
            Comparison = AlarmComparison.GreaterThanThreshold,
        },
        Tags = severity is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["severity"] = severity },
    };
}
