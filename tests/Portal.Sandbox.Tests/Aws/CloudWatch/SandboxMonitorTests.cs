using System.Text.Json.Nodes;
using Portal.Core.Alarms;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Tests.Aws.CloudWatch;

public sealed class SandboxMonitorTests : IAsyncLifetime
{
    private const string Unavailable = "team/cart/unavailable-pods";
    private const string Restarts = "team/cart/restarts";
    private const string Errors = "team/cart/5xx-rate";
    private readonly MonitoredCluster _monitored = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _monitored.DisposeAsync();

    [Fact]
    public void Tick_NewDeployment_CreatesItsFourAlarmsInInsufficientData()
    {
        _monitored.Cluster.CreateDeployment("cart", "shop/cart:1.4.0", replicas: 1);

        _monitored.Run(TimeSpan.FromSeconds(1));

        var alarms = _monitored.Alarms.List();
        alarms.Select(a => (a.Name, a.Definition.Tags["severity"])).ShouldBe(
        [
            ("team/cart/5xx-rate", "critical"), ("team/cart/cpu-high", "warning"), ("team/cart/restarts", "warning"), ("team/cart/unavailable-pods", "high"),
        ]);
        alarms.ShouldAllBe(a => a.State == AlarmState.InsufficientData);
        var cpu = alarms.Single(a => a.Name == "team/cart/cpu-high").Definition.Condition;
        (cpu.Metric!.MetricName, cpu.Metric.Statistic, cpu.Comparison, cpu.Threshold, cpu.EvaluationPeriods, cpu.DatapointsToAlarm, cpu.TreatMissingData)
            .ShouldBe(("CPUUtilization", "Average", AlarmComparison.GreaterThanThreshold, 90.0, 3, 3, MissingDataTreatment.Missing));
        var (events, _) = _monitored.Trail.Lookup(_ => true, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 50, null);
        events.Select(e => e.EventName).ShouldBe(Enumerable.Repeat("PutMetricAlarm", 4));
    }

    [Fact]
    public void Tick_DeletedDeployment_DeletesItsAlarmsInOneCall()
    {
        _monitored.Cluster.CreateDeployment("cart", "shop/cart:1.4.0", replicas: 1);
        _monitored.Run(TimeSpan.FromSeconds(1));

        _monitored.Cluster.Store.Delete(ResourceTypes.Deployments, "team", "cart");
        _monitored.RunUntil(() => _monitored.Cluster.Store.Get(ResourceTypes.Deployments, "team", "cart") is null && _monitored.Alarms.List().Count == 0, TimeSpan.FromMinutes(1));

        var (events, _) = _monitored.Trail.Lookup(e => e.EventName == "DeleteAlarms", DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 50, null);
        var deleted = events.ShouldHaveSingleItem();
        JsonNode.Parse(deleted.CloudTrailEvent)!["requestParameters"]!["alarmNames"]!.AsArray().Select(n => (string?)n).Order()
            .ShouldBe(["team/cart/5xx-rate", "team/cart/cpu-high", "team/cart/restarts", "team/cart/unavailable-pods"]);
        _monitored.Alarms.History().Count(h => h.Summary.EndsWith("deleted", StringComparison.Ordinal)).ShouldBe(4);
    }

    [Fact]
    public void Tick_CrashDeploy_GoesToAlarmWithinMinutes_AndTheFixReturnsItToOk()
    {
        _monitored.Cluster.CreateDeployment("cart", "shop/cart:1.4.0", replicas: 1);
        _monitored.RunUntil(() => _monitored.State(Unavailable) == AlarmState.Ok && _monitored.State(Restarts) == AlarmState.Ok, TimeSpan.FromMinutes(3));

        _monitored.Cluster.SetImage("cart", "shop/cart:1.5.0-crash");
        var toAlarm = _monitored.RunUntil(() => _monitored.State(Unavailable) == AlarmState.Alarm && _monitored.State(Restarts) == AlarmState.Alarm, TimeSpan.FromMinutes(5));

        toAlarm.ShouldBeLessThanOrEqualTo(TimeSpan.FromMinutes(4), "3 minutes of unavailability, evaluated as the third closes");
        _monitored.Alarms.Find(Unavailable)!.StateReason.ShouldStartWith("Threshold Crossed: 3 out of the last 3 datapoints [1.0 (");
        _monitored.State(Errors).ShouldNotBe(AlarmState.Alarm, "a crash is not an error rate");

        _monitored.Cluster.SetImage("cart", "shop/cart:1.5.1");
        _monitored.RunUntil(() => _monitored.State(Unavailable) == AlarmState.Ok, TimeSpan.FromMinutes(2));
        _monitored.RunUntil(() => _monitored.State(Restarts) == AlarmState.Ok, TimeSpan.FromMinutes(7));

        _monitored.Alarms.History().Where(h => h.AlarmName == Unavailable && h.Kind == AlarmHistoryKind.StateUpdate).Select(h => h.Summary).ShouldBe(
        [
            "Alarm updated from INSUFFICIENT_DATA to OK", "Alarm updated from OK to ALARM", "Alarm updated from ALARM to OK",
        ]);
    }

    [Fact]
    public void Tick_ErrorsDeploy_RaisesTheErrorRateAlarm_AndTheFixClearsIt()
    {
        _monitored.Cluster.CreateDeployment("cart", "shop/cart:1.4.0", replicas: 2);
        _monitored.Run(TimeSpan.FromMinutes(2));
        _monitored.State(Errors).ShouldNotBe(AlarmState.Alarm);

        _monitored.Cluster.SetImage("cart", "shop/cart:1.4.1-errors");
        _monitored.RunUntil(() => _monitored.State(Errors) == AlarmState.Alarm, TimeSpan.FromMinutes(4));

        _monitored.State(Unavailable).ShouldBe(AlarmState.Ok, "the pods are up: they answer, badly");
        _monitored.Cluster.SetImage("cart", "shop/cart:1.4.2");
        _monitored.RunUntil(() => _monitored.State(Errors) == AlarmState.Ok, TimeSpan.FromMinutes(4));
    }

    [Fact]
    public async Task Tick_HighResolutionAlarms_CrashGoesToAlarmInSeconds()
    {
        await using var monitored = new MonitoredCluster(periodSeconds: 10);
        monitored.Cluster.CreateDeployment("cart", "shop/cart:1.4.0", replicas: 1);
        monitored.RunUntil(() => monitored.State(Unavailable) == AlarmState.Ok, TimeSpan.FromSeconds(30));
        var unavailable = monitored.Alarms.Find(Unavailable)!.Definition;
        (unavailable.Condition.PeriodSeconds, unavailable.Condition.Metric!.PeriodSeconds).ShouldBe((10, 10));
        unavailable.Description.ShouldBe("Pods of team/cart are unavailable (not ready) for 30 seconds.");

        monitored.Cluster.SetImage("cart", "shop/cart:1.5.0-crash");
        var toAlarm = monitored.RunUntil(() => monitored.State(Unavailable) == AlarmState.Alarm && monitored.State(Restarts) == AlarmState.Alarm, TimeSpan.FromMinutes(1));

        toAlarm.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(40), "3 periods of 10 seconds");
        monitored.Series("cart", "UnavailableReplicas").Keys.Select(k => k.Second % 10).Distinct().ShouldBe([0], "10-second datapoints");
        monitored.Cluster.SetImage("cart", "shop/cart:1.5.1");
        monitored.RunUntil(() => monitored.State(Unavailable) == AlarmState.Ok && monitored.State(Restarts) == AlarmState.Ok, TimeSpan.FromSeconds(90));
    }
}
