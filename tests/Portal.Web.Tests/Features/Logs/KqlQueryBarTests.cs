using Portal.Web.Features.Logs;
using Portal.Web.Tests.Components;

namespace Portal.Web.Tests.Features.Logs;

/// <summary>The query bar's syntax check: the message, the marked position, Search disabled while the text is not KQL.</summary>
public sealed class KqlQueryBarTests
{
    private static Task<AngleSharp.Dom.IDocument> RenderAsync(string query, IReadOnlyList<string>? serverErrors = null) =>
        new ComponentTestContext().RenderAsync<KqlQueryBar>(new()
        {
            [nameof(KqlQueryBar.Value)] = query,
            [nameof(KqlQueryBar.ServerErrors)] = serverErrors ?? [],
        });

    [Fact]
    public async Task Render_MissingValueAtTheEnd_MarksThePositionAfterTheText()
    {
        var doc = await RenderAsync("level:");

        var mark = doc.QuerySelector("[data-testid='query-error-mark']").ShouldNotBeNull();
        mark.GetAttribute("data-position").ShouldBe("6");
        mark.TextContent.ShouldBe(" ");
        doc.QuerySelector("[data-testid='query-mirror']")!.TextContent.ShouldBe("level: ");
        doc.QuerySelector("[data-testid='query-error']")!.TextContent.ShouldContain("a value after ':'");
        doc.QuerySelector("[data-testid='query-submit']")!.HasAttribute("disabled").ShouldBeTrue();
        doc.QuerySelector("[data-testid='query-input']")!.GetAttribute("aria-invalid").ShouldBe("true");
    }

    [Fact]
    public async Task Render_ErrorInsideTheText_MarksTheCharacterAtItsPosition()
    {
        const string query = "level:error and and status:500";

        var doc = await RenderAsync(query);

        var mark = doc.QuerySelector("[data-testid='query-error-mark']").ShouldNotBeNull();
        mark.GetAttribute("data-position").ShouldBe("16");
        mark.PreviousSibling!.TextContent.ShouldBe("level:error and ");
        mark.TextContent.ShouldBe("a");
        mark.NextSibling!.TextContent.ShouldBe("nd status:500");
    }

    [Fact]
    public async Task Render_ValidQuery_NoMarkAndSearchEnabled()
    {
        var doc = await RenderAsync("level:error and not kubernetes.container_name:istio-proxy");

        doc.QuerySelector("[data-testid='query-error-mark']").ShouldBeNull();
        doc.QuerySelector("[data-testid='query-error']").ShouldBeNull();
        doc.QuerySelector("[data-testid='query-submit']")!.HasAttribute("disabled").ShouldBeFalse();
    }

    [Fact]
    public async Task Render_ServerError_ShownUnderTheBar()
    {
        var doc = await RenderAsync("status:500", ["The search engine refused the query: too many clauses"]);

        doc.QuerySelector("[data-testid='query-server-error']")!.TextContent.ShouldBe("The search engine refused the query: too many clauses");
    }

    [Theory]
    [InlineData("abc", 1, "a", "b", "c")]
    [InlineData("abc", 3, "abc", " ", "")]
    [InlineData("abc", 9, "abc", " ", "")]
    [InlineData("", 0, "", " ", "")]
    public void Mark_SplitsAroundThePosition(string text, int position, string before, string at, string after) =>
        KqlQueryBar.Mark(text, position).ShouldBe((before, at, after));
}
