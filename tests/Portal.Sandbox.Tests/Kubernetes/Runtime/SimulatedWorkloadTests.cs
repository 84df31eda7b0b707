using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Runtime;

namespace Portal.Sandbox.Tests.Kubernetes.Runtime;

public sealed class SimulatedWorkloadTests
{
    private static readonly DateTimeOffset Started = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static SimulatedWorkload.Run Run(string uid = "6f1c2d3e-0000-4000-8000-000000000001", DateTimeOffset? finished = null, bool crashed = false) =>
        new(uid, "payments-api", "app", 0, Started, finished, crashed);

    private static List<LogLine> All(SimulatedWorkload.Run run, DateTimeOffset until) => [.. SimulatedWorkload.Lines(run, DateTimeOffset.MinValue, until)];

    [Fact]
    public void Lines_SameRun_AlwaysTheSameLines()
    {
        var until = Started.AddMinutes(10);

        var first = All(Run(), until);
        var second = All(Run(), until);

        first.Count.ShouldBeGreaterThan(100, "about one line a second");
        second.ShouldBe(first);
    }

    [Fact]
    public void Lines_AnotherPod_WritesOtherLines() =>
        All(Run("6f1c2d3e-0000-4000-8000-000000000002"), Started.AddMinutes(10)).ShouldNotBe(All(Run(), Started.AddMinutes(10)));

    [Fact]
    public void Lines_StartWithTheStartLineAndAreInTimeOrder()
    {
        var lines = All(Run(), Started.AddMinutes(5));

        lines[0].Text.ShouldBe("level=info msg=\"starting payments-api\" container=app port=8080 instance=0");
        lines.Select(l => l.Time).ShouldBeInOrder(SortDirection.Ascending);
        lines.ShouldAllBe(l => l.Time >= Started && l.Time <= Started.AddMinutes(5));
        lines.ShouldContain(l => l.Text.StartsWith("level=info msg=\"GET ", StringComparison.Ordinal) && l.Text.Contains(" status=200 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Lines_ReadLater_StillReadTheSameForThePast()
    {
        var early = All(Run(), Started.AddMinutes(2));
        var late = All(Run(), Started.AddMinutes(20));

        late.Take(early.Count).ShouldBe(early, "a second of log, once written, never changes");
    }

    [Fact]
    public void Lines_Since_StartsAtThatInstant()
    {
        var since = Started.AddMinutes(3).AddMilliseconds(500);

        var lines = SimulatedWorkload.Lines(Run(), since, Started.AddMinutes(4)).ToList();

        lines.ShouldBe(All(Run(), Started.AddMinutes(4)).Where(l => l.Time >= since));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(57)]
    public void Tail_ReturnsExactlyTheLastNLines(int count)
    {
        var until = Started.AddMinutes(10).AddMilliseconds(420);

        var tail = SimulatedWorkload.Tail(Run(), count, until);

        tail.Count.ShouldBe(count);
        tail.ShouldBe(All(Run(), until).TakeLast(count));
    }

    [Fact]
    public void Tail_MoreThanTheRunWrote_ReturnsEverything()
    {
        var until = Started.AddSeconds(5);

        SimulatedWorkload.Tail(Run(), 1000, until).ShouldBe(All(Run(), until));
    }

    [Fact]
    public void Lines_CrashedRun_StopsAtTheFatalLine()
    {
        var finished = Started.AddSeconds(42);
        var run = Run(finished: finished, crashed: true);

        var lines = All(run, Started.AddMinutes(10));

        lines[^1].ShouldBe(new LogLine(finished, "level=fatal msg=\"panic: runtime error: invalid memory address or nil pointer dereference\" service=payments-api"));
        lines.ShouldAllBe(l => l.Time <= finished);
        SimulatedWorkload.Tail(run, 3, Started.AddMinutes(10))[^1].ShouldBe(lines[^1]);
    }

    [Fact]
    public void RunOf_ReadsTheCurrentAndPreviousRunFromTheContainerStatus()
    {
        var pod = JsonNode.Parse("""
            { "metadata": { "uid": "u1", "labels": { "app": "orders" } },
              "status": { "containerStatuses": [ { "name": "app", "restartCount": 3,
                  "state": { "running": { "startedAt": "2026-11-22T09:05:00Z" } },
                  "lastState": { "terminated": { "exitCode": 1, "startedAt": "2026-11-22T09:04:00Z", "finishedAt": "2026-11-22T09:04:30Z" } } } ] } }
            """)!.AsObject();

        SimulatedWorkload.RunOf(pod, "app", previous: false).ShouldBe(new SimulatedWorkload.Run("u1", "orders", "app", 3, Started.AddMinutes(5), null, false));
        SimulatedWorkload.RunOf(pod, "app", previous: true).ShouldBe(new SimulatedWorkload.Run("u1", "orders", "app", 2, Started.AddMinutes(4), Started.AddMinutes(4).AddSeconds(30), true));
        SimulatedWorkload.RunOf(pod, "other", previous: false).ShouldBeNull();
    }

    [Fact]
    public void Usage_IsDeterministicAndStaysNearTheRequests()
    {
        var container = JsonNode.Parse("""{ "name": "app", "resources": { "requests": { "cpu": "200m", "memory": "256Mi" } } }""")!.AsObject();

        for (var minute = 0; minute < 120; minute += 7)
        {
            var at = Started.AddMinutes(minute);
            var (cpu, memory) = SimulatedWorkload.Usage("u1", container, at);

            SimulatedWorkload.Usage("u1", container, at).ShouldBe((cpu, memory));
            cpu.ShouldBeInRange(30, 190);
            memory.ShouldBeInRange(115L << 20, 218L << 20);
        }
    }

    [Theory]
    [InlineData("shop/cart:1.4.0-errors", true)]
    [InlineData("registry.portal.test:5000/shop/cart:errors", true)]
    [InlineData("shop/cart:1.4.0", false)]
    [InlineData("shop/errors-api:1.0", false)]
    [InlineData("shop/cart", false)]
    public void ReturnsErrors_ReadsTheFaultFromTheTagOnly(string image, bool expected) => SimulatedWorkload.ReturnsErrors(image).ShouldBe(expected);

    [Fact]
    public void Lines_ErrorsImage_AnswersAboutHalfTheRequestsWith5xx()
    {
        var failing = Run() with { Failing = true };

        var lines = All(failing, Started.AddMinutes(30));

        var statuses = lines.Select(l => Status(l.Text)).OfType<int>().ToList();
        var rate = statuses.Count(s => s >= 500) / (double)statuses.Count;
        rate.ShouldBeInRange(0.4, 0.6);
        lines.Where(l => Status(l.Text) >= 500).ShouldAllBe(l => l.Text.StartsWith("level=error msg=\"", StringComparison.Ordinal) && l.Text.Contains(" failed: upstream ", StringComparison.Ordinal));
        statuses.ShouldContain(503);
        statuses.ShouldContain(500);
        All(failing, Started.AddMinutes(30)).ShouldBe(lines, "the fault is as deterministic as the rest");
    }

    [Fact]
    public void Lines_ErrorsImage_ChangesOnlyRequestLinesThatSucceeded()
    {
        var healthy = All(Run(), Started.AddMinutes(10));
        var failing = All(Run() with { Failing = true }, Started.AddMinutes(10));

        failing.Count.ShouldBe(healthy.Count);
        failing.Select(l => l.Time).ShouldBe(healthy.Select(l => l.Time));
        var changed = healthy.Zip(failing).Where(p => p.First.Text != p.Second.Text).ToList();
        changed.ShouldNotBeEmpty();
        changed.ShouldAllBe(p => Status(p.First.Text) < 500 && Status(p.Second.Text) >= 500);
        healthy.Count(l => Status(l.Text) >= 500).ShouldBeLessThan(healthy.Count / 10, "a healthy image fails rarely, as before");
    }

    [Fact]
    public void RunOf_ImageWithTheErrorsFault_IsFailing()
    {
        var pod = JsonNode.Parse("""
            { "metadata": { "uid": "u1", "labels": { "app": "cart" } },
              "spec": { "containers": [ { "name": "app", "image": "shop/cart:1.4.0-errors" }, { "name": "proxy", "image": "envoy:1.30" } ] },
              "status": { "containerStatuses": [
                  { "name": "app", "restartCount": 0, "state": { "running": { "startedAt": "2026-11-22T09:05:00Z" } } },
                  { "name": "proxy", "restartCount": 0, "state": { "running": { "startedAt": "2026-11-22T09:05:00Z" } } } ] } }
            """)!.AsObject();

        SimulatedWorkload.RunOf(pod, "app", previous: false).ShouldNotBeNull().Failing.ShouldBeTrue();
        SimulatedWorkload.RunOf(pod, "proxy", previous: false).ShouldNotBeNull().Failing.ShouldBeFalse();
    }

    private static int? Status(string text)
    {
        var at = text.IndexOf(" status=", StringComparison.Ordinal);
        return at < 0 ? null : int.Parse(text.AsSpan(at + 8, 3), System.Globalization.CultureInfo.InvariantCulture);
    }
}
