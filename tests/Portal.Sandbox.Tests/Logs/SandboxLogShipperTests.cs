using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Logs;
using Portal.Sandbox.Tests.Kubernetes;
using Portal.Testing;

namespace Portal.Sandbox.Tests.Logs;

public sealed class SandboxLogShipperTests
{
    [Fact]
    public async Task Collect_RecordsCarryFluentBitKubernetesFields_AndParsedNumbers()
    {
        await using var cluster = new TestCluster();
        using var dir = new TempDirectory("shipper");
        cluster.CreatePod("web", "web:1", nodeName: "node-1");
        cluster.StepUntil(() => Running(cluster));
        cluster.Step(TimeSpan.FromSeconds(30));
        var shipper = new SandboxLogShipper(cluster.Store, Path.Combine(dir.Path, "positions.json"), TimeSpan.FromHours(1));

        var records = shipper.Collect(cluster.Clock.GetUtcNow()).Select(d => d.Document).ToList();

        records.ShouldNotBeEmpty();
        var first = records[0];
        first["log"]!.GetValue<string>().ShouldStartWith("level=info msg=\"starting web\"");
        first["level"]!.GetValue<string>().ShouldBe("info");
        first["kubernetes"]!["namespace_name"]!.GetValue<string>().ShouldBe(TestCluster.Ns);
        first["kubernetes"]!["pod_name"]!.GetValue<string>().ShouldBe("web");
        first["kubernetes"]!["container_name"]!.GetValue<string>().ShouldBe("app");
        first["kubernetes"]!["host"]!.GetValue<string>().ShouldBe("node-1");
        var access = records.FirstOrDefault(r => r["status"] is not null).ShouldNotBeNull("half a minute of an HTTP service has access lines");
        access["status"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.Number);
        access["latency_ms"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.Number);
        access["path"]!.GetValue<string>().ShouldStartWith("/");
    }

    [Fact]
    public async Task CollectCommitCollect_ShipsEveryLineOnce_AcrossARestartOfTheShipper()
    {
        await using var cluster = new TestCluster();
        using var dir = new TempDirectory("shipper");
        var positions = Path.Combine(dir.Path, "positions.json");
        cluster.CreatePod("web", "web:1", nodeName: "node-1");
        cluster.StepUntil(() => Running(cluster));
        var started = cluster.Clock.GetUtcNow();
        var shipped = new List<string>();

        var shipper = new SandboxLogShipper(cluster.Store, positions, TimeSpan.FromHours(1));
        for (var i = 0; i < 5; i++)
        {
            cluster.Step(TimeSpan.FromMilliseconds(1700));
            shipped.AddRange(shipper.Collect(cluster.Clock.GetUtcNow()).Select(Key));
            shipper.Commit();
        }

        cluster.Step(TimeSpan.FromSeconds(3));
        shipper.Collect(cluster.Clock.GetUtcNow());   // collected, never committed: must come again
        var restarted = new SandboxLogShipper(cluster.Store, positions, TimeSpan.FromHours(1));
        cluster.Step(TimeSpan.FromSeconds(2));
        var end = cluster.Clock.GetUtcNow();
        shipped.AddRange(restarted.Collect(end).Select(Key));
        restarted.Commit();

        var run = SimulatedWorkload.RunOf(Pod(cluster), "app", previous: false).ShouldNotBeNull();
        var expected = SimulatedWorkload.Lines(run, started.AddHours(-1), end).Select(l => $"{l.Time:O} {l.Text}").ToList();
        shipped.ShouldBe(expected, "no line lost to the uncommitted batch, none twice");
    }

    [Theory]
    [InlineData("level=warn msg=\"slow call to redis\" upstream=redis latency_ms=612", "level=warn|msg=slow call to redis|upstream=redis|latency_ms=612")]
    [InlineData("=x a=1  b=\"unterminated", "a=1|b=unterminated")]
    [InlineData("plain text with no pairs", "")]
    public void Logfmt_ReadsPairsLikeFluentBit(string line, string expected) =>
        string.Join('|', SandboxLogShipper.Logfmt(line).Select(p => $"{p.Key}={p.Value}")).ShouldBe(expected);

    private static string Key(Portal.Core.Logs.IngestDocument d) =>
        $"{DateTimeOffset.Parse(d.Document["@timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture):O} {d.Document["log"]!.GetValue<string>()}";

    private static JsonObject Pod(TestCluster cluster) => cluster.Store.Get(Portal.Sandbox.Kubernetes.Store.ResourceTypes.Pods, TestCluster.Ns, "web")!;

    private static bool Running(TestCluster cluster) =>
        Portal.Sandbox.Kubernetes.Store.J.Objects(Portal.Sandbox.Kubernetes.Store.J.At(Pod(cluster), "status", "containerStatuses")).FirstOrDefault() is { } status
        && Portal.Sandbox.Kubernetes.Store.J.Str(status, "state", "running", "startedAt") is not null;
}
