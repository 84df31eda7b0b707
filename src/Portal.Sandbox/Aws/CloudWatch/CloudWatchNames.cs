using Portal.Core.Alarms;

namespace Portal.Sandbox.Aws.CloudWatch;

/// <summary>The wire names of CloudWatch's enums (botocore-cloudwatch-2010-08-01-service-2.json) for Core's alarm types.</summary>
internal static class CloudWatchNames
{
    public static IReadOnlyList<string> States { get; } = ["INSUFFICIENT_DATA", "ALARM", "OK"];

    public static IReadOnlyList<string> HistoryItemTypes { get; } = ["ConfigurationUpdate", "StateUpdate", "Action", "AlarmContributorStateUpdate", "AlarmContributorAction"];

    public static IReadOnlyList<string> AlarmTypes { get; } = ["CompositeAlarm", "MetricAlarm", "LogAlarm"];

    public static IReadOnlyList<string> ScanBy { get; } = ["TimestampDescending", "TimestampAscending"];

    public static string State(AlarmState state) => state switch
    {
        AlarmState.Ok => "OK",
        AlarmState.Alarm => "ALARM",
        _ => "INSUFFICIENT_DATA",
    };

    public static AlarmState ParseState(string state) => state switch
    {
        "OK" => AlarmState.Ok,
        "ALARM" => AlarmState.Alarm,
        _ => AlarmState.InsufficientData,
    };

    public static string TreatMissingData(MissingDataTreatment treatment) => treatment switch
    {
        MissingDataTreatment.Ignore => "ignore",
        MissingDataTreatment.Breaching => "breaching",
        MissingDataTreatment.NotBreaching => "notBreaching",
        _ => "missing",
    };

    public static MissingDataTreatment ParseTreatMissingData(string? value) => value switch
    {
        "ignore" => MissingDataTreatment.Ignore,
        "breaching" => MissingDataTreatment.Breaching,
        "notBreaching" => MissingDataTreatment.NotBreaching,
        _ => MissingDataTreatment.Missing,
    };

    public static string HistoryItemType(AlarmHistoryKind kind) => kind.ToString();
}
