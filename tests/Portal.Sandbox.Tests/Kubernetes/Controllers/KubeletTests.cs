using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Tests.Kubernetes.Controllers;

public sealed class KubeletTests
{
    private static JsonObject Pod(TestCluster cluster) => cluster.Store.Get(ResourceTypes.Pods, TestCluster.Ns, "p")!;

    private static JsonObject Status(JsonObject pod) => (JsonObject)J.At(pod, "status", "containerStatuses")![0]!;

    private static List<(string? Type, string? Reason, string? Message)> Events(TestCluster cluster) =>
        [.. cluster.EventsAbout(Pod(cluster)).OrderBy(e => J.Name(e), StringComparer.Ordinal).Select(e => (J.Str(e, "type"), J.Str(e, "reason"), J.Str(e, "message")))];

    [Fact]
    public async Task Reconcile_GoodImage_PullsStartsAndBecomesReady()
    {
        await using var cluster = new TestCluster();
        cluster.CreatePod("p", "registry.test/web:1.0", nodeName: "node-1");

        cluster.Step();
        TestCluster.Waiting(Pod(cluster)).ShouldBe("ContainerCreating");
        J.Str(Pod(cluster), "status", "phase").ShouldBe("Pending");

        cluster.StepUntil(() => TestCluster.IsReady(Pod(cluster)), maxSteps: 20);

        var pod = Pod(cluster);
        J.Str(pod, "status", "phase").ShouldBe("Running");
        J.Str(pod, "status", "podIP").ShouldStartWith("10.244.0.");
        J.Str(pod, "status", "hostIP").ShouldBe("172.18.0.2");
        J.Bool(Status(pod), "ready").ShouldBe(true);
        J.Str(Status(pod), "state", "running", "startedAt").ShouldNotBeNull();
        J.Str(Status(pod), "containerID").ShouldStartWith("containerd://");
        Events(cluster).Select(e => e.Reason).ShouldBe(["Pulling", "Pulled", "Created", "Started"], ignoreOrder: true);
    }

    [Fact]
    public async Task Reconcile_ImageTagWithBad_FailsToPullThenBacksOff()
    {
        await using var cluster = new TestCluster();
        cluster.CreatePod("p", "registry.test/web:1.0-bad", nodeName: "node-1");

        var seen = new List<string?>();
        for (var i = 0; i < 20; i++)
        {
            cluster.Step();
            if (seen.LastOrDefault() != TestCluster.Waiting(Pod(cluster)))
            {
                seen.Add(TestCluster.Waiting(Pod(cluster)));
            }
        }

        seen.Take(3).ShouldBe(["ContainerCreating", "ErrImagePull", "ImagePullBackOff"]);
        var pod = Pod(cluster);
        J.Str(pod, "status", "phase").ShouldBe("Pending");
        TestCluster.IsReady(pod).ShouldBeFalse();
        J.Str(Status(pod), "state", "waiting", "message")!.ShouldContain("failed to resolve reference \"registry.test/web:1.0-bad\"");
        var events = Events(cluster);
        events.ShouldContain(("Warning", "Failed", "Error: ErrImagePull"));
        events.ShouldContain(("Warning", "Failed", "Error: ImagePullBackOff"));
        events.ShouldContain(("Normal", "BackOff", "Back-off pulling image \"registry.test/web:1.0-bad\""));
    }

    [Fact]
    public async Task Reconcile_ImageTagWithCrash_RunsThenRestartsWithAGrowingBackOff()
    {
        await using var cluster = new TestCluster();
        cluster.CreatePod("p", "web:1.0-crash", nodeName: "node-1");

        // How long the container was seen running before each crash, and waiting in CrashLoopBackOff after it.
        var runs = new List<TimeSpan>();
        var waits = new List<TimeSpan>();
        string? state = null;
        var since = cluster.Clock.GetUtcNow();
        cluster.StepUntil(() => waits.Count == 2, () =>
        {
            var now = Status(Pod(cluster)) switch
            {
                var s when J.At(s, "state", "running") is not null => "running",
                var s => J.Str(s, "state", "waiting", "reason"),
            };
            if (now == state)
            {
                return;
            }

            (state == "running" ? runs : state == "CrashLoopBackOff" ? waits : []).Add(cluster.Clock.GetUtcNow() - since);
            (state, since) = (now, cluster.Clock.GetUtcNow());
        });

        runs.Count.ShouldBe(2);
        runs.ShouldAllBe(r => r >= cluster.Timings.CrashAfter, "a crash image runs for CrashAfter before it exits");
        waits[0].ShouldBeGreaterThanOrEqualTo(cluster.Timings.BackOffBase);
        waits[1].ShouldBeGreaterThanOrEqualTo(cluster.Timings.BackOffBase * 2, "the back-off doubles with each restart");
        var status = Status(Pod(cluster));
        J.Long(status, "restartCount").ShouldBe(2);
        J.Long(status, "lastState", "terminated", "exitCode").ShouldBe(1);
        J.Str(status, "lastState", "terminated", "reason").ShouldBe("Error");
        Events(cluster).ShouldContain(e => e.Type == "Warning" && e.Reason == "BackOff" && e.Message!.StartsWith("Back-off restarting failed container app in pod p_team(", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_CrashedContainer_HasPreviousLogsEndingInTheFatalLine()
    {
        await using var cluster = new TestCluster(timings: SandboxTimings.Fast with { CrashAfter = TimeSpan.FromSeconds(1.5) });
        cluster.CreatePod("p", "web:1.0-crash", nodeName: "node-1");
        cluster.StepUntil(() => TestCluster.Waiting(Pod(cluster)) == "CrashLoopBackOff");

        var pod = Pod(cluster);
        var previous = SimulatedWorkload.RunOf(pod, "app", previous: true).ShouldNotBeNull();
        SimulatedWorkload.RunOf(pod, "app", previous: false).ShouldBe(previous, "a container waiting to restart shows its last run's log, as the kubelet does");

        previous.Crashed.ShouldBeTrue();
        var lines = SimulatedWorkload.Lines(previous, DateTimeOffset.MinValue, cluster.Clock.GetUtcNow()).ToList();
        lines[0].Text.ShouldStartWith("level=info msg=\"starting p\" container=app");
        lines[^1].Text.ShouldStartWith("level=fatal msg=\"panic: runtime error");
        lines[^1].Time.ShouldBe(previous.Finished!.Value);
    }

    [Fact]
    public async Task Reconcile_DeletedPod_IsRemovedAfterItStops()
    {
        await using var cluster = new TestCluster();
        cluster.CreatePod("p", "web:1", nodeName: "node-1");
        cluster.StepUntil(() => TestCluster.IsReady(Pod(cluster)));

        cluster.Store.Delete(ResourceTypes.Pods, TestCluster.Ns, "p");
        J.IsTerminating(Pod(cluster)).ShouldBeTrue();

        cluster.StepUntil(() => cluster.Store.Get(ResourceTypes.Pods, TestCluster.Ns, "p") is null, maxSteps: 10);
    }
}
