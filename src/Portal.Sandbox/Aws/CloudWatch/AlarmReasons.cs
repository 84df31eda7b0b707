using System.Globalization;
using System.Text;
using System.Text.Json;
using Portal.Core.Alarms;

namespace Portal.Sandbox.Aws.CloudWatch;

/// <summary>
/// The words CloudWatch writes about an evaluation: the <c>StateReason</c> ("Threshold Crossed: 3 out of the last 3
/// datapoints [95.1 (22/11/26 17:01:00), ...] were greater than the threshold (90.0) (minimum 3 datapoints for OK ->
/// ALARM transition).") and the <c>StateReasonData</c> JSON (queryDate, startDate, statistic, period,
/// recentDatapoints, threshold, evaluatedDatapoints), with numbers printed as CloudWatch prints them (<c>90.0</c>).
/// </summary>
internal static class AlarmReasons
{
    /// <param name="evaluated">The real datapoints that decided, newest first, with whether each breaches.</param>
    /// <param name="filled">How many missing datapoints were filled in by the missing-data treatment.</param>
    public static string Text(AlarmCondition condition, AlarmState from, AlarmState to, IReadOnlyList<(PeriodValue Period, bool Breaching)> evaluated, int filled)
    {
        var threshold = Number(condition.Threshold ?? 0);
        var relation = (to == AlarmState.Alarm ? "" : "not ") + Words(condition.Comparison);
        var treatedAs = condition.TreatMissingData == MissingDataTreatment.Breaching ? "Breaching" : "NonBreaching";
        if (evaluated.Count == 0)
        {
            return $"Threshold Crossed: no datapoints were received for {AlarmEvaluator.Count(filled, "period")} and {AlarmEvaluator.Count(filled, "missing datapoint")} {Were(filled)} treated as [{treatedAs}].";
        }

        var listed = evaluated.Where(p => p.Breaching == (to == AlarmState.Alarm)).Select(p => p.Period).ToList();
        var list = string.Join(", ", listed.Select(p => $"{Number(p.Value!.Value)} ({p.Start.UtcDateTime.ToString("dd/MM/yy HH:mm:ss", CultureInfo.InvariantCulture)})"));
        if (condition.EvaluationPeriods == 1 && filled == 0)
        {
            return $"Threshold Crossed: 1 datapoint [{list}] was {relation} the threshold ({threshold}).";
        }

        var text = new StringBuilder($"Threshold Crossed: {listed.Count} out of the last {evaluated.Count} datapoints [{list}] {Were(listed.Count)} {relation} the threshold ({threshold})");
        if (filled > 0)
        {
            text.Append($" and {AlarmEvaluator.Count(filled, "missing datapoint")} {Were(filled)} treated as [{treatedAs}]");
        }

        var minimum = to == AlarmState.Alarm ? condition.DatapointsToAlarm : condition.EvaluationPeriods - condition.DatapointsToAlarm + 1;
        text.Append($" (minimum {AlarmEvaluator.Count(minimum, "datapoint")} for {CloudWatchNames.State(from)} -> {CloudWatchNames.State(to)} transition).");
        return text.ToString();
    }

    /// <param name="evaluated">The real datapoints that decided (any order).</param>
    /// <param name="missing">The missing periods that were filled in.</param>
    public static string Data(AlarmCondition condition, IReadOnlyList<PeriodValue> range, DateTimeOffset queryDate, IReadOnlyList<PeriodValue> evaluated, IReadOnlyList<PeriodValue> missing)
    {
        var all = evaluated.Concat(missing).OrderByDescending(p => p.Start).ToList();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", "1.0");
            json.WriteString("queryDate", Timestamp(queryDate));
            json.WriteString("startDate", Timestamp(all.Count > 0 ? all[^1].Start : range[0].Start));
            if (condition.Metric?.Unit is { } unit)
            {
                json.WriteString("unit", unit);
            }

            json.WriteString("statistic", condition.Metric?.Statistic);
            json.WriteNumber("period", condition.PeriodSeconds);
            json.WriteStartArray("recentDatapoints");
            foreach (var point in evaluated.OrderBy(p => p.Start))
            {
                json.WriteRawValue(Number(point.Value!.Value));
            }

            json.WriteEndArray();
            json.WritePropertyName("threshold");
            json.WriteRawValue(Number(condition.Threshold ?? 0));
            json.WriteStartArray("evaluatedDatapoints");
            foreach (var point in all)
            {
                json.WriteStartObject();
                json.WriteString("timestamp", Timestamp(point.Start));
                if (point.Value is { } value)
                {
                    json.WritePropertyName("sampleCount");
                    json.WriteRawValue(Number(point.SampleCount));
                    json.WritePropertyName("value");
                    json.WriteRawValue(Number(value));
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A double as CloudWatch (Java) prints it: shortest round-trip digits, at least one decimal (<c>90.0</c>).</summary>
    public static string Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) || !double.IsFinite(value) ? text : text + ".0";
    }

    /// <summary>CloudWatch's timestamps inside reason data and history: <c>2026-11-22T17:01:00.000+0000</c>.</summary>
    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    public static string Words(AlarmComparison comparison) => comparison switch
    {
        AlarmComparison.GreaterThanOrEqualToThreshold => "greater than or equal to",
        AlarmComparison.GreaterThanThreshold => "greater than",
        AlarmComparison.LessThanThreshold => "less than",
        AlarmComparison.LessThanOrEqualToThreshold => "less than or equal to",
        _ => comparison.ToString(),
    };

    private static string Were(int count) => count == 1 ? "was" : "were";
}
