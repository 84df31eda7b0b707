using System.Text.Json.Nodes;
using Portal.Core.Logs;
using Portal.Web.Features.Logs;

namespace Portal.Web.Tests.Features.Logs;

/// <summary>The live tail's bookkeeping: only unseen lines, newest on top, never more than the cap.</summary>
public sealed class LiveTailTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static LogHit Hit(int n) => new($"id-{n}", T0.AddSeconds(n), "dev", new JsonObject { ["log"] = $"line {n}" }, $"cursor-{n}");

    [Fact]
    public void Fresh_DropsShownAndRepeatedIds_ReturnsNewestFirst()
    {
        var shown = new HashSet<string> { "id-3" };

        var fresh = LiveTail.Fresh([Hit(3), Hit(4), Hit(5), Hit(5)], shown);

        fresh.Select(h => h.Id).ShouldBe(["id-5", "id-4"]);
    }

    [Fact]
    public void Prepend_PutsNewOnTopAndDropsTheOldestBeyondTheCap()
    {
        var rows = new List<LogHit> { Hit(3), Hit(2), Hit(1) };

        var dropped = LiveTail.Prepend(rows, [Hit(5), Hit(4)], max: 4);

        rows.Select(h => h.Id).ShouldBe(["id-5", "id-4", "id-3", "id-2"]);
        dropped.Select(h => h.Id).ShouldBe(["id-1"]);
    }

    [Fact]
    public void Prepend_UnderTheCap_DropsNothing()
    {
        var rows = new List<LogHit> { Hit(1) };

        LiveTail.Prepend(rows, [Hit(2)], max: 1000).ShouldBeEmpty();
        rows.Count.ShouldBe(2);
    }
}
