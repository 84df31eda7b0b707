using System.Text.Json.Nodes;
using Portal.Core.Alarms;
using Portal.Sandbox.Aws.CloudWatch;

namespace Portal.Sandbox.Tests.Aws.CloudWatch;

/// <summary>
/// The evaluator against hand-computed datapoint sequences, first of all the two tables of "Configuring how
/// CloudWatch alarms treat missing data" (evaluation range 5, newest on the right; 0 not breaching, X breaching, -
/// missing), row by row for each of the four treatments.
/// </summary>
public sealed class AlarmEvaluatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 16, 57, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset QueryDate = new(2026, 11, 22, 17, 2, 4, TimeSpan.Zero);

    private static AlarmCondition Condition(int n, int m, MissingDataTreatment missing = MissingDataTreatment.Missing, AlarmComparison comparison = AlarmComparison.GreaterThanThreshold, double threshold = 10) => new()
    {
        Metric = new MetricStat("Test", "Value", [new MetricDimension("Service", "cart")], "Average", 60),
        PeriodSeconds = 60,
        EvaluationPeriods = n,
        DatapointsToAlarm = m,
        Threshold = threshold,
        Comparison = comparison,
        TreatMissingData = missing,
    };

    /// <summary>"0 - X - X": one period a character, oldest first; 0 is 5 (under 10), X is 15 (over 10).</summary>
    private static List<PeriodValue> Range(string points) =>
        [.. points.Split(' ').Select((p, i) => p switch
        {
            "0" => new PeriodValue(Start.AddMinutes(i), 5, 4),
            "X" => new PeriodValue(Start.AddMinutes(i), 15, 4),
            _ => PeriodValue.Missing(Start.AddMinutes(i)),
        })];

    private static string Outcome(int n, int m, string points, MissingDataTreatment missing) =>
        AlarmEvaluator.Evaluate(Condition(n, m, missing), Range(points), AlarmState.Ok, QueryDate) is { } outcome ? CloudWatchNames_State(outcome.State) : "retain";

    private static string CloudWatchNames_State(AlarmState state) => state switch
    {
        AlarmState.Ok => "OK",
        AlarmState.Alarm => "ALARM",
        _ => "INSUFFICIENT_DATA",
    };

    public static TheoryData<string, string, string, string, string> ThreeOutOfThree => new()
    {
        // data points, MISSING, IGNORE, BREACHING, NOT BREACHING
        { "0 - X - X", "OK", "OK", "OK", "OK" },
        { "0 - - - -", "OK", "OK", "OK", "OK" },
        { "- - - - -", "INSUFFICIENT_DATA", "retain", "ALARM", "OK" },
        { "0 X X - X", "ALARM", "ALARM", "ALARM", "ALARM" },
        { "- - X - -", "ALARM", "retain", "ALARM", "OK" },
    };

    public static TheoryData<string, string, string, string, string> TwoOutOfThree => new()
    {
        { "0 - X - X", "ALARM", "ALARM", "ALARM", "ALARM" },
        { "0 0 X 0 X", "ALARM", "ALARM", "ALARM", "ALARM" },
        { "0 - X - -", "OK", "OK", "ALARM", "OK" },
        { "- - - - 0", "OK", "OK", "ALARM", "OK" },
        { "- - - X -", "ALARM", "retain", "ALARM", "OK" },
    };

    [Theory]
    [MemberData(nameof(ThreeOutOfThree))]
    public void Evaluate_DocumentationTable3OutOf3_GivesEachTreatmentsState(string points, string missing, string ignore, string breaching, string notBreaching)
    {
        AlarmEvaluator.EvaluationRange(3).ShouldBe(5);
        Outcome(3, 3, points, MissingDataTreatment.Missing).ShouldBe(missing);
        Outcome(3, 3, points, MissingDataTreatment.Ignore).ShouldBe(ignore);
        Outcome(3, 3, points, MissingDataTreatment.Breaching).ShouldBe(breaching);
        Outcome(3, 3, points, MissingDataTreatment.NotBreaching).ShouldBe(notBreaching);
    }

    [Theory]
    [MemberData(nameof(TwoOutOfThree))]
    public void Evaluate_DocumentationTable2OutOf3_GivesEachTreatmentsState(string points, string missing, string ignore, string breaching, string notBreaching)
    {
        Outcome(3, 2, points, MissingDataTreatment.Missing).ShouldBe(missing);
        Outcome(3, 2, points, MissingDataTreatment.Ignore).ShouldBe(ignore);
        Outcome(3, 2, points, MissingDataTreatment.Breaching).ShouldBe(breaching);
        Outcome(3, 2, points, MissingDataTreatment.NotBreaching).ShouldBe(notBreaching);
    }

    [Theory]
    [InlineData("- - - - X")]
    [InlineData("- - - X -")]
    public void Evaluate_TooRecentLoneBreach_DoesNotAlarmPrematurely(string points)
    {
        // "the alarm does not go immediately into ALARM state when the data is either - - - - X or - - - X -".
        Outcome(3, 3, points, MissingDataTreatment.Missing).ShouldBe("OK");
        Outcome(3, 3, points, MissingDataTreatment.NotBreaching).ShouldBe("OK");
        Outcome(3, 3, points, MissingDataTreatment.Breaching).ShouldBe("ALARM", "two filled breaching points and the real one make 3");
    }

    [Fact]
    public void Evaluate_BreachingWithOneRealPointLeavingTheRange_GoesToAlarmNextTime()
    {
        // Table 1, row 2: "The next time this alarm is evaluated, if the data is still missing it will go to ALARM".
        Outcome(3, 3, "0 - - - -", MissingDataTreatment.Breaching).ShouldBe("OK");
        Outcome(3, 3, "- - - - -", MissingDataTreatment.Breaching).ShouldBe("ALARM");
    }

    [Theory]
    [InlineData("0 0 0 0 X 0 0", "ALARM")]   // restarts: 1 of 5, the breach is 3 periods old
    [InlineData("X 0 0 0 0 0 0", "OK")]      // the breach left the 5 evaluated periods
    [InlineData("0 X 0 0 0 0 0", "OK")]
    [InlineData("0 0 X 0 0 0 0", "ALARM")]
    public void Evaluate_OneOutOfFive_LooksAtTheFiveMostRecent(string points, string expected)
    {
        AlarmEvaluator.EvaluationRange(5).ShouldBe(7);
        Outcome(5, 1, points, MissingDataTreatment.NotBreaching).ShouldBe(expected);
    }

    [Theory]
    [InlineData("0 X 0 X 0", 3, 2, "OK")]
    [InlineData("0 X X 0 X", 3, 2, "ALARM")]
    [InlineData("X X 0 X 0", 3, 2, "OK")]
    [InlineData("0 0 X X X", 3, 3, "ALARM")]
    [InlineData("0 X X X 0", 3, 3, "OK")]
    [InlineData("0 0 0 0 X", 1, 1, "ALARM")]
    [InlineData("X X X X 0", 1, 1, "OK")]
    public void Evaluate_MOutOfN_CountsBreachesAmongTheNMostRecent(string points, int n, int m, string expected)
    {
        var range = Range(points).TakeLast(AlarmEvaluator.EvaluationRange(n)).ToList();

        AlarmEvaluator.Evaluate(Condition(n, m), range, AlarmState.InsufficientData, QueryDate).ShouldNotBeNull().State.ShouldBe(expected == "ALARM" ? AlarmState.Alarm : AlarmState.Ok);
    }

    [Theory]
    [InlineData(AlarmComparison.GreaterThanThreshold, 9.9, false)]
    [InlineData(AlarmComparison.GreaterThanThreshold, 10, false)]
    [InlineData(AlarmComparison.GreaterThanThreshold, 10.1, true)]
    [InlineData(AlarmComparison.GreaterThanOrEqualToThreshold, 9.9, false)]
    [InlineData(AlarmComparison.GreaterThanOrEqualToThreshold, 10, true)]
    [InlineData(AlarmComparison.GreaterThanOrEqualToThreshold, 10.1, true)]
    [InlineData(AlarmComparison.LessThanThreshold, 9.9, true)]
    [InlineData(AlarmComparison.LessThanThreshold, 10, false)]
    [InlineData(AlarmComparison.LessThanThreshold, 10.1, false)]
    [InlineData(AlarmComparison.LessThanOrEqualToThreshold, 9.9, true)]
    [InlineData(AlarmComparison.LessThanOrEqualToThreshold, 10, true)]
    [InlineData(AlarmComparison.LessThanOrEqualToThreshold, 10.1, false)]
    public void Evaluate_EachComparison_DecidesOnTheThreshold(AlarmComparison comparison, double value, bool breaches)
    {
        var range = Enumerable.Range(0, 3).Select(i => new PeriodValue(Start.AddMinutes(i), value, 1)).ToList();

        AlarmEvaluator.Breaches(comparison, value, 10).ShouldBe(breaches);
        AlarmEvaluator.Evaluate(Condition(1, 1, comparison: comparison), range, AlarmState.InsufficientData, QueryDate)!.State.ShouldBe(breaches ? AlarmState.Alarm : AlarmState.Ok);
    }

    [Theory]
    [InlineData(AlarmComparison.LessThanLowerOrGreaterThanUpperThreshold)]
    [InlineData(AlarmComparison.LessThanLowerThreshold)]
    [InlineData(AlarmComparison.GreaterThanUpperThreshold)]
    public void Validate_BandComparison_IsRefused(AlarmComparison comparison) =>
        Should.Throw<ArgumentException>(() => AlarmEvaluator.Validate(Condition(3, 3, comparison: comparison))).Message.ShouldContain("anomaly detection");

    [Fact]
    public void Validate_ImpossibleDefinitions_AreRefused()
    {
        Should.Throw<ArgumentException>(() => AlarmEvaluator.Validate(Condition(3, 4)));
        Should.Throw<ArgumentException>(() => AlarmEvaluator.Validate(Condition(3, 3) with { PeriodSeconds = 90, Metric = Condition(3, 3).Metric! with { PeriodSeconds = 90 } }));
        Should.Throw<ArgumentException>(() => AlarmEvaluator.Validate(Condition(1441, 1)));
        Should.Throw<ArgumentException>(() => AlarmEvaluator.Validate(Condition(3, 3) with { Metric = Condition(3, 3).Metric! with { Statistic = "p99" } }));
        Should.Throw<ArgumentException>(() => AlarmEvaluator.Validate(Condition(3, 3) with { PeriodSeconds = 20, Metric = Condition(3, 3).Metric! with { PeriodSeconds = 20 } }));
        AlarmEvaluator.Validate(Condition(1440, 1));
        AlarmEvaluator.Validate(Condition(3, 3) with { PeriodSeconds = 10, Metric = Condition(3, 3).Metric! with { PeriodSeconds = 10 } });
        AlarmEvaluator.Validate(Condition(3, 3) with { PeriodSeconds = 30, Metric = Condition(3, 3).Metric! with { PeriodSeconds = 30 } });
    }

    [Fact]
    public void Evaluate_ToAlarm_WritesCloudWatchsReason()
    {
        var range = new List<PeriodValue>
        {
            new(Start, 12.5, 4), new(Start.AddMinutes(1), 80, 4), new(Start.AddMinutes(2), 91, 4), new(Start.AddMinutes(3), 93.2, 4), new(Start.AddMinutes(4), 95.1, 4),
        };

        var outcome = AlarmEvaluator.Evaluate(Condition(3, 3, threshold: 90), range, AlarmState.Ok, QueryDate)!;

        outcome.State.ShouldBe(AlarmState.Alarm);
        outcome.Reason.ShouldBe("Threshold Crossed: 3 out of the last 3 datapoints [95.1 (22/11/26 17:01:00), 93.2 (22/11/26 17:00:00), 91.0 (22/11/26 16:59:00)] "
            + "were greater than the threshold (90.0) (minimum 3 datapoints for OK -> ALARM transition).");
        var data = JsonNode.Parse(outcome.ReasonData)!.AsObject();
        ((string?)data["version"]).ShouldBe("1.0");
        ((string?)data["queryDate"]).ShouldBe("2026-11-22T17:02:04.000+0000");
        ((string?)data["startDate"]).ShouldBe("2026-11-22T16:59:00.000+0000");
        ((string?)data["statistic"]).ShouldBe("Average");
        ((int?)data["period"]).ShouldBe(60);
        data["recentDatapoints"]!.AsArray().Select(v => (double)v!).ShouldBe([91, 93.2, 95.1]);
        outcome.ReasonData.ShouldContain("\"threshold\":90.0", Case.Sensitive, "CloudWatch prints doubles with a decimal");
        var evaluated = data["evaluatedDatapoints"]!.AsArray().Select(p => p!.AsObject()).ToList();
        evaluated.Select(p => (string?)p["timestamp"]).ShouldBe(["2026-11-22T17:01:00.000+0000", "2026-11-22T17:00:00.000+0000", "2026-11-22T16:59:00.000+0000"]);
        evaluated.ShouldAllBe(p => (double)p["sampleCount"]! == 4);
    }

    [Fact]
    public void Evaluate_BackToOk_SaysWhichDatapointsWereNotBreaching()
    {
        var range = new List<PeriodValue>
        {
            new(Start, 95, 1), new(Start.AddMinutes(1), 95, 1), new(Start.AddMinutes(2), 95, 1), new(Start.AddMinutes(3), 96, 1), new(Start.AddMinutes(4), 85, 1),
        };

        var outcome = AlarmEvaluator.Evaluate(Condition(3, 3, threshold: 90), range, AlarmState.Alarm, QueryDate)!;

        outcome.State.ShouldBe(AlarmState.Ok);
        outcome.Reason.ShouldBe("Threshold Crossed: 1 out of the last 3 datapoints [85.0 (22/11/26 17:01:00)] was not greater than the threshold (90.0) "
            + "(minimum 1 datapoint for ALARM -> OK transition).");
    }

    [Fact]
    public void Evaluate_SinglePeriodAlarm_UsesTheShortForm()
    {
        var range = new List<PeriodValue> { PeriodValue.Missing(Start), PeriodValue.Missing(Start.AddMinutes(1)), new(Start.AddMinutes(2), 21.5, 2) };

        var outcome = AlarmEvaluator.Evaluate(Condition(1, 1, threshold: 21), range, AlarmState.InsufficientData, QueryDate)!;

        outcome.Reason.ShouldBe("Threshold Crossed: 1 datapoint [21.5 (22/11/26 16:59:00)] was greater than the threshold (21.0).");
    }

    [Fact]
    public void Evaluate_AllMissing_SaysHowTheyWereTreated()
    {
        var range = Range("- - - -");

        AlarmEvaluator.Evaluate(Condition(2, 2, MissingDataTreatment.Breaching, threshold: 2), range, AlarmState.InsufficientData, QueryDate)!.Reason
            .ShouldBe("Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].");
        AlarmEvaluator.Evaluate(Condition(2, 2, MissingDataTreatment.NotBreaching), range, AlarmState.Alarm, QueryDate)!.Reason
            .ShouldBe("Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [NonBreaching].");
        var insufficient = AlarmEvaluator.Evaluate(Condition(3, 3), Range("- - - - -"), AlarmState.Ok, QueryDate)!;
        insufficient.Reason.ShouldBe("Insufficient Data: 3 datapoints were unknown.");
        JsonNode.Parse(insufficient.ReasonData)!["evaluatedDatapoints"]!.AsArray().Count.ShouldBe(3, "the three periods it had to fill, without values");
    }

    [Fact]
    public void Evaluate_FilledDatapoints_AreNamedInTheReasonAndData()
    {
        var outcome = AlarmEvaluator.Evaluate(Condition(3, 2, MissingDataTreatment.Breaching), Range("- - - - 0"), AlarmState.Ok, QueryDate)!;

        outcome.State.ShouldBe(AlarmState.Alarm);
        outcome.Reason.ShouldBe("Threshold Crossed: 0 out of the last 1 datapoints [] were greater than the threshold (10.0) and 2 missing datapoints were treated as [Breaching] "
            + "(minimum 2 datapoints for OK -> ALARM transition).");
        var evaluated = JsonNode.Parse(outcome.ReasonData)!["evaluatedDatapoints"]!.AsArray();
        evaluated.Select(p => (string?)p!["timestamp"]).ShouldBe(["2026-11-22T17:01:00.000+0000", "2026-11-22T17:00:00.000+0000", "2026-11-22T16:59:00.000+0000"]);
        evaluated.Select(p => p!["value"] is null).ShouldBe([false, true, true], "the newest missing periods are the filled ones");
    }

    [Theory]
    [InlineData(90, "90.0")]
    [InlineData(38.839999999999996, "38.839999999999996")]
    [InlineData(0, "0.0")]
    [InlineData(-2.5, "-2.5")]
    public void Number_PrintsAsCloudWatchDoes(double value, string expected) => AlarmReasons.Number(value).ShouldBe(expected);
}
