using System.Text.Json.Nodes;
using Portal.Core.Logs;
using Portal.Web.Features.Logs;
using Portal.Web.Tests.Components;

namespace Portal.Web.Tests.Features.Logs;

/// <summary>The results as rendered: time to the millisecond, the chosen columns or the log line, links to pods.</summary>
public sealed class LogResultsTableTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static LogHit Hit(string id, int ms, string log, string level) => new(id, T0.AddMilliseconds(ms), "dev", new JsonObject
    {
        ["log"] = log,
        ["level"] = level,
        ["kubernetes"] = new JsonObject { ["pod_name"] = "checkout-1", ["container_name"] = "web" },
    }, $"c-{id}");

    private static Task<AngleSharp.Dom.IDocument> RenderAsync(IReadOnlyList<string> columns, bool showEnvironment = false) =>
        new ComponentTestContext().RenderAsync<LogResultsTable>(new()
        {
            [nameof(LogResultsTable.Rows)] = new[] { Hit("b", 1500, "GET /cart 500", "error"), Hit("a", 7, "started", "info") },
            [nameof(LogResultsTable.Columns)] = columns,
            [nameof(LogResultsTable.ShowEnvironment)] = showEnvironment,
        });

    [Fact]
    public async Task Render_NoColumns_ShowsTimeWithMillisecondsAndTheLogLine()
    {
        var doc = await RenderAsync([]);

        var rows = doc.QuerySelectorAll("[data-testid='log-row']");
        rows.Select(r => r.GetAttribute("data-id")).ShouldBe(["b", "a"]);
        rows[0].QuerySelector("[data-testid='row-time']")!.TextContent.ShouldBe("2026-11-22 10:00:01.500");
        rows[1].QuerySelector("[data-testid='row-time']")!.TextContent.ShouldBe("2026-11-22 10:00:00.007");
        rows[0].QuerySelector("[data-testid='row-cell']")!.TextContent.ShouldBe("GET /cart 500");
        doc.QuerySelectorAll("th").Select(h => h.TextContent.Trim()).ShouldContain("Time (UTC)");
        rows[0].QuerySelector("[data-testid='row-toggle']")!.GetAttribute("aria-expanded").ShouldBe("false");
        doc.QuerySelector("[data-testid='log-row-detail']").ShouldBeNull();
    }

    [Fact]
    public async Task Render_ChosenColumns_InOrderWithAPodLink()
    {
        var doc = await RenderAsync(["level", "kubernetes.pod_name"], showEnvironment: true);

        doc.QuerySelectorAll("[data-testid='column-header']").Select(h => h.GetAttribute("data-field")).ShouldBe(["level", "kubernetes.pod_name"]);
        var cells = doc.QuerySelectorAll("[data-testid='log-row']")[0].QuerySelectorAll("[data-testid='row-cell']");
        cells[0].TextContent.Trim().ShouldBe("error");
        cells[1].QuerySelector("a")!.GetAttribute("href").ShouldBe("environments/dev/pods/checkout-1");
        doc.QuerySelectorAll("th").Select(h => h.TextContent.Trim()).ShouldContain("Environment");
    }
}
