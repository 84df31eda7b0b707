using System.Text.Json.Nodes;
using Portal.Core.Logs;
using Portal.Web.Features.Logs;
using Portal.Web.Tests.Components;

namespace Portal.Web.Tests.Features.Logs;

/// <summary>The field sidebar as rendered from a sample: top values with their share, and the fields the sample lacks.</summary>
public sealed class LogFieldSidebarTests
{
    private static IReadOnlyList<LogFieldSummary> Sample()
    {
        // 8 records: level error ×5, warn ×2, info ×1; status only on 4 of them.
        var documents = new List<JsonObject>();
        string[] levels = ["error", "error", "error", "error", "error", "warn", "warn", "info"];
        for (var i = 0; i < levels.Length; i++)
        {
            var doc = new JsonObject { ["level"] = levels[i], ["kubernetes"] = new JsonObject { ["pod_name"] = $"api-{i % 2}" } };
            if (i < 4)
            {
                doc["status"] = 500;
            }

            documents.Add(doc);
        }

        return LogFieldSummaries.From(documents);
    }

    private static Task<AngleSharp.Dom.IDocument> RenderAsync(string? open, IReadOnlyList<LogField>? all = null, IReadOnlyList<string>? columns = null) =>
        new ComponentTestContext().RenderAsync<LogFieldSidebar>(new()
        {
            [nameof(LogFieldSidebar.Fields)] = Sample(),
            [nameof(LogFieldSidebar.SampleSize)] = 8,
            [nameof(LogFieldSidebar.AllFields)] = all ?? [],
            [nameof(LogFieldSidebar.Columns)] = columns ?? [],
            [nameof(LogFieldSidebar.InitiallyOpen)] = open,
        });

    [Fact]
    public async Task Render_OpenField_ShowsTopValuesWithTheirShareOfTheSample()
    {
        var doc = await RenderAsync("level");

        var values = doc.QuerySelectorAll("[data-field='level'] [data-testid='field-value']");
        values.Select(v => (v.GetAttribute("data-value"), v.GetAttribute("data-share"))).ShouldBe([("error", "62.5%"), ("warn", "25%"), ("info", "12.5%")]);
        values[0].QuerySelector(".log-field-bar > div")!.GetAttribute("style").ShouldBe("width: 62.5%");
        values[0].QuerySelector("[data-testid='field-filter-for']").ShouldNotBeNull();
        values[0].QuerySelector("[data-testid='field-filter-out']").ShouldNotBeNull();
        doc.QuerySelector("[data-testid='field-sample-note']")!.TextContent.ShouldBe("Top values from 8 sample records");
    }

    [Fact]
    public async Task Render_FieldOnHalfTheSample_SharesAreOfTheWholeSample()
    {
        var doc = await RenderAsync("status");

        var details = doc.QuerySelector("[data-field='status'] [data-testid='field-details']")!;
        details.TextContent.ShouldContain("In 4 of 8 sample records");
        details.QuerySelectorAll("[data-testid='field-value']").Select(v => v.GetAttribute("data-share")).ShouldBe(["50%"]);
        doc.QuerySelectorAll("[data-testid='field-details']").Length.ShouldBe(1);
    }

    [Fact]
    public async Task Render_FieldsNotInTheSample_ListedGreyedAfterTheSampled()
    {
        var doc = await RenderAsync(null, [new LogField("level", LogFieldType.String), new LogField("trace_id", LogFieldType.String), new LogField("latency_ms", LogFieldType.Number)]);

        doc.QuerySelectorAll("[data-testid='field']").Select(f => f.GetAttribute("data-field")).ShouldBe(["kubernetes.pod_name", "level", "status"]);
        doc.QuerySelectorAll("[data-testid='field-unsampled']").Select(f => f.GetAttribute("data-field")).ShouldBe(["trace_id", "latency_ms"]);
        doc.QuerySelector("[data-testid='field-unsampled']")!.GetAttribute("title").ShouldBe("Not in the sample");
    }

    [Fact]
    public async Task Render_ChosenColumn_OffersToRemoveIt()
    {
        var doc = await RenderAsync(null, columns: ["level"]);

        doc.QuerySelector("[data-field='level'] [data-testid='field-column']")!.GetAttribute("title").ShouldBe("Remove column");
        doc.QuerySelector("[data-field='status'] [data-testid='field-column']")!.GetAttribute("title").ShouldBe("Add as column");
    }

    [Theory]
    [InlineData(0.625, "62.5%")]
    [InlineData(1, "100%")]
    [InlineData(1.0 / 3, "33.3%")]
    public void Percent_WritesOneDecimalAtMost(double share, string expected) => LogFieldSidebar.Percent(share).ShouldBe(expected);
}
