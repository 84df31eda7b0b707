using Portal.Core.Alarms;
using Portal.Core.Environments;

namespace Portal.Core.Tests.Alarms;

internal static class AlarmTestData
{
    public static readonly DateTimeOffset Changed = new(2026, 11, 22, 17, 0, 0, TimeSpan.Zero);

    public static Alarm Metric(string name, params (string Name, string Value)[] dimensions) => new()
    {
        Name = name,
        Arn = $"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}",
        Kind = AlarmKind.Metric,
        Account = "main",
        State = AlarmState.Alarm,
        StateChangedAt = Changed,
        Condition = new AlarmCondition
        {
            Metric = new MetricStat("Sandbox/Workloads", "CPUUtilization", [.. dimensions.Select(d => new MetricDimension(d.Name, d.Value))], "Average", 60),
            PeriodSeconds = 60,
            EvaluationPeriods = 3,
            DatapointsToAlarm = 3,
            Threshold = 90,
            Comparison = AlarmComparison.GreaterThanThreshold,
        },
    };

    public static PortalEnvironment Environment(string name, string ns) => new()
    {
        Name = name,
        DisplayName = name,
        Tier = EnvironmentTier.Dev,
        Cluster = "sandbox",
        Namespace = ns,
        OwningTeam = "team",
        CostCentre = "cc",
        CreatedBy = "admin",
    };
}
