using Portal.Web.Components.Shared;
using Portal.Web.Features;

namespace Portal.Web.Tests.Components.Shared;

public class FeaturePlaceholderTests
{
    [Fact]
    public async Task Render_Feature_ShowsTitleSummaryAndNotBuiltBadge()
    {
        var feature = new PortalFeature("costs", "Costs", "payments", "costs", 60, "What each environment costs.");

        var doc = await new ComponentTestContext().RenderAsync<FeaturePlaceholder>(new() { [nameof(FeaturePlaceholder.Feature)] = feature });

        var page = doc.QuerySelector("[data-testid='page-costs']").ShouldNotBeNull();
        page.QuerySelector("h1").ShouldNotBeNull().TextContent.ShouldBe("Costs");
        page.TextContent.ShouldContain("What each environment costs.");
        page.QuerySelector("[data-testid='not-built']").ShouldNotBeNull();
    }
}
