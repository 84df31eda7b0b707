using Portal.Core.Environments;
using Portal.Web.Components.Shared;

namespace Portal.Web.Tests.Components.Shared;

public class EnvironmentSwitcherTests
{
    [Fact]
    public async Task Render_EnvInQuery_SelectsItAndShowsItsTier()
    {
        var context = new ComponentTestContext { Uri = "http://portal.test/?env=prod" };

        var doc = await context.RenderAsync<EnvironmentSwitcher>();

        doc.QuerySelector("[data-testid='environment-tier']").ShouldNotBeNull().TextContent.Trim().ShouldBe("prod");
        doc.QuerySelector(".environment-dropdown").ShouldNotBeNull().TextContent.ShouldContain("Production");
    }

    [Fact]
    public async Task Render_SignedInUser_AsksForThatUsersEnvironments()
    {
        var context = new ComponentTestContext
        {
            User = Portal.Web.SignIn.PortalClaims.Create(
                new Portal.Core.Authorization.PortalPrincipal("dev", "Dev", new HashSet<string> { "developers" }), "local", "Test"),
        };

        await context.RenderAsync<EnvironmentSwitcher>();

        context.Catalog.AskedFor.ShouldNotBeNull().UserName.ShouldBe("dev");
        context.Catalog.AskedFor.Groups.ShouldBe(["developers"]);
    }

    [Fact]
    public async Task Render_NoEnvInQuery_SelectsTheFirstEnvironment()
    {
        var doc = await new ComponentTestContext().RenderAsync<EnvironmentSwitcher>();

        doc.QuerySelector("[data-testid='environment-tier']").ShouldNotBeNull().TextContent.Trim().ShouldBe("dev");
    }

    [Fact]
    public async Task Render_UnknownEnvInQuery_FallsBackInsteadOfFailing()
    {
        var context = new ComponentTestContext { Uri = "http://portal.test/?env=nope" };

        var doc = await context.RenderAsync<EnvironmentSwitcher>();

        doc.QuerySelector("[data-testid='environment-tier']").ShouldNotBeNull().TextContent.Trim().ShouldBe("dev");
    }

    [Fact]
    public async Task Render_CatalogFails_ShowsWarningInsteadOfThrowing()
    {
        var context = new ComponentTestContext();
        context.Catalog.Failure = new InvalidOperationException("database is down");

        var doc = await context.RenderAsync<EnvironmentSwitcher>();

        doc.QuerySelector("[data-testid='environment-error']").ShouldNotBeNull().TextContent.ShouldContain("Environments unavailable");
        doc.QuerySelector(".environment-dropdown").ShouldBeNull();
    }

    [Theory]
    [InlineData(EnvironmentTier.Prod, Radzen.BadgeStyle.Danger)]
    [InlineData(EnvironmentTier.Staging, Radzen.BadgeStyle.Warning)]
    [InlineData(EnvironmentTier.Dev, Radzen.BadgeStyle.Success)]
    public void TierStyle_ProtectedTiersStandOut(EnvironmentTier tier, Radzen.BadgeStyle expected) =>
        EnvironmentSwitcher.TierStyle(tier).ShouldBe(expected);
}
