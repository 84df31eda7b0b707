using System.Text.Json.Nodes;
using Portal.Core.Alarms;
using Portal.Sandbox.Aws.CloudTrail;
using Portal.Sandbox.Aws.CloudWatch;
using Portal.Testing;

namespace Portal.Sandbox.Tests.Aws.CloudWatch;

public sealed class SandboxAlarmsTests : IDisposable
{
    private static readonly WorkloadService Cart = new("prod", "cart");
    private static readonly TrailCaller Caller = new("sandbox", null, null);
    private readonly TempDirectory _dir = new("sandbox-alarms");
    private readonly FakeClock _clock = new(new DateTimeOffset(2026, 11, 22, 17, 0, 10, TimeSpan.Zero));
    private readonly MetricStore _metrics;
    private readonly SandboxTrail _trail;

    public SandboxAlarmsTests()
    {
        _metrics = new MetricStore(_dir.File("metrics.jsonl"), _clock.GetUtcNow());
        _trail = new SandboxTrail(_dir.File("trail.jsonl"), _clock, "000000000000", "us-east-1");
    }

    public void Dispose() => _dir.Dispose();

    private SandboxAlarms Open() => new(_dir.File("alarms.json"), _metrics, _trail, _clock);

    private static MetricAlarmDefinition Unavailable => WorkloadAlarms.For(Cart).Single(a => a.Name == "prod/cart/unavailable-pods");

    /// <summary>Publishes one UnavailableReplicas minute (starting at the clock's minute) and moves the clock past its end.</summary>
    private DateTimeOffset Minute(double maximum)
    {
        var now = _clock.GetUtcNow();
        var minute = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 60 * 60);
        _metrics.Publish([new MetricDatum(MetricId.Of(Unavailable.Condition.Metric!), "Count", minute, StatisticSet.Of(0).Add(maximum))], now);
        _clock.Advance(TimeSpan.FromMinutes(1));
        return minute.AddMinutes(1);
    }

    [Fact]
    public void Put_NewAlarm_StartsInsufficientDataWithItsCreationInHistoryAndTrail()
    {
        var alarms = Open();

        alarms.Put(Unavailable, Caller);

        var alarm = alarms.Find("prod/cart/unavailable-pods").ShouldNotBeNull();
        alarm.State.ShouldBe(AlarmState.InsufficientData);
        alarm.StateReason.ShouldBe("Unchecked: Initial alarm creation");
        alarm.Arn.ShouldBe("arn:aws:cloudwatch:us-east-1:000000000000:alarm:prod/cart/unavailable-pods");
        alarm.Definition.Tags["severity"].ShouldBe("high");
        var created = alarms.History().ShouldHaveSingleItem();
        created.Kind.ShouldBe(AlarmHistoryKind.ConfigurationUpdate);
        created.Summary.ShouldBe("Alarm \"prod/cart/unavailable-pods\" created");
        var data = JsonNode.Parse(created.Data)!;
        ((string?)data["type"]).ShouldBe("Create");
        ((string?)data["createdAlarm"]!["metricName"]).ShouldBe("UnavailableReplicas");
        var (events, _) = _trail.Lookup(_ => true, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 50, null);
        var call = events.ShouldHaveSingleItem();
        (call.EventSource, call.EventName, call.Username).ShouldBe(("monitoring.amazonaws.com", "PutMetricAlarm", "sandbox"));
        call.Resources.ShouldBe([new TrailResource("AWS::CloudWatch::Alarm", "prod/cart/unavailable-pods")]);
        ((double?)JsonNode.Parse(call.CloudTrailEvent)!["requestParameters"]!["threshold"]).ShouldBe(1);
    }

    [Fact]
    public void Put_BandAlarm_IsRefusedAndNothingIsRecorded()
    {
        var alarms = Open();
        var band = Unavailable with { Condition = Unavailable.Condition with { Comparison = AlarmComparison.GreaterThanUpperThreshold } };

        Should.Throw<ArgumentException>(() => alarms.Put(band, Caller));

        alarms.List().ShouldBeEmpty();
        _trail.Count.ShouldBe(0);
    }

    [Fact]
    public void Evaluate_ThreeBreachingMinutes_GoesToAlarmWithAStateUpdateInHistory()
    {
        var alarms = Open();
        alarms.Put(Unavailable, Caller);

        alarms.Evaluate(Minute(1));
        alarms.Find(Unavailable.Name)!.State.ShouldBe(AlarmState.Ok, "one breach of 3 needed; the missing ones are not breaching");
        alarms.Evaluate(Minute(1));
        alarms.Find(Unavailable.Name)!.State.ShouldBe(AlarmState.Ok);
        var closed = Minute(1);
        alarms.Evaluate(closed);

        var alarm = alarms.Find(Unavailable.Name)!;
        alarm.State.ShouldBe(AlarmState.Alarm);
        alarm.StateTransitioned.ShouldBe(_clock.GetUtcNow());
        alarm.StateReason.ShouldStartWith("Threshold Crossed: 3 out of the last 3 datapoints [1.0 (22/11/26 17:02:00), 1.0 (22/11/26 17:01:00), 1.0 (22/11/26 17:00:00)] were greater than or equal to the threshold (1.0)");
        var updates = alarms.History().Where(h => h.Kind == AlarmHistoryKind.StateUpdate).Select(h => h.Summary).ToList();
        updates.ShouldBe(["Alarm updated from INSUFFICIENT_DATA to OK", "Alarm updated from OK to ALARM"]);
        var data = JsonNode.Parse(alarms.History()[^1].Data)!;
        ((string?)data["oldState"]!["stateValue"]).ShouldBe("OK");
        ((string?)data["newState"]!["stateValue"]).ShouldBe("ALARM");
        ((string?)data["newState"]!["stateReason"]).ShouldBe(alarm.StateReason);
        data["newState"]!["stateReasonData"]!["recentDatapoints"]!.AsArray().Count.ShouldBe(3);

        alarms.Evaluate(closed);
        alarms.History().Count.ShouldBe(3, "a period is evaluated once");
    }

    [Fact]
    public void Evaluate_FixedWorkload_ReturnsToOk()
    {
        var alarms = Open();
        alarms.Put(Unavailable, Caller);
        for (var i = 0; i < 3; i++)
        {
            alarms.Evaluate(Minute(2));
        }

        alarms.Find(Unavailable.Name)!.State.ShouldBe(AlarmState.Alarm);
        alarms.Evaluate(Minute(0));

        alarms.Find(Unavailable.Name)!.State.ShouldBe(AlarmState.Ok);
        alarms.History()[^1].Summary.ShouldBe("Alarm updated from ALARM to OK");
    }

    [Fact]
    public void Delete_RemovesTheAlarmButKeepsItsHistory()
    {
        var alarms = Open();
        alarms.Put(Unavailable, Caller);

        alarms.Delete([Unavailable.Name, "prod/other/restarts"], Caller);

        alarms.List().ShouldBeEmpty();
        alarms.History().Select(h => h.Summary).ShouldBe(["Alarm \"prod/cart/unavailable-pods\" created", "Alarm \"prod/cart/unavailable-pods\" deleted"]);
        var (events, _) = _trail.Lookup(_ => true, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 50, null);
        var deleted = events[0];
        deleted.EventName.ShouldBe("DeleteAlarms");
        deleted.Resources.ShouldBe([new TrailResource("AWS::CloudWatch::Alarm", Unavailable.Name)], "only what existed was deleted");
    }

    [Fact]
    public void Save_ThenOpenAgain_KeepsDefinitionStateReasonAndHistory()
    {
        var alarms = Open();
        alarms.Put(Unavailable, Caller);
        for (var i = 0; i < 3; i++)
        {
            alarms.Evaluate(Minute(1));
        }

        var before = alarms.Find(Unavailable.Name)!;
        alarms.Save();

        var reopened = Open();

        var after = reopened.Find(Unavailable.Name).ShouldNotBeNull();
        after.State.ShouldBe(AlarmState.Alarm);
        after.StateReason.ShouldBe(before.StateReason);
        after.StateReasonData.ShouldBe(before.StateReasonData);
        after.StateTransitioned.ShouldBe(before.StateTransitioned);
        AlarmJson.Same(after.Definition, Unavailable).ShouldBeTrue();
        reopened.History().ShouldBe(alarms.History());
    }
}
