using System.Security.Claims;
using Portal.Web.Components.Shared;

namespace Portal.Web.Tests.Components.Shared;

public class UserBadgeTests
{
    [Fact]
    public async Task Render_SignedInUser_ShowsNameAndInitials()
    {
        var context = new ComponentTestContext
        {
            User = Portal.Web.SignIn.PortalClaims.Create(
                new Portal.Core.Authorization.PortalPrincipal("ada", "Ada Lovelace", new HashSet<string>()), "local", "Test"),
        };

        var doc = await context.RenderAsync<UserBadgeHost>();

        var badge = doc.QuerySelector("[data-testid='user-badge']").ShouldNotBeNull();
        badge.QuerySelector(".user-name").ShouldNotBeNull().TextContent.ShouldBe("Ada Lovelace");
        badge.QuerySelector(".user-initials").ShouldNotBeNull().TextContent.ShouldBe("AL");
        badge.QuerySelector("form[action='account/logout'] button[data-testid='sign-out']").ShouldNotBeNull();
        badge.QuerySelector("a[href='profile']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Render_Anonymous_SaysNotSignedIn()
    {
        var doc = await new ComponentTestContext().RenderAsync<UserBadgeHost>();

        doc.QuerySelector("[data-testid='user-badge']").ShouldNotBeNull().TextContent.ShouldContain("Not signed in");
    }

    [Theory]
    [InlineData("dev", "D")]
    [InlineData("grace.hopper@example.com", "GH")]
    [InlineData("", "?")]
    public void Initials_CommonNameShapes(string name, string expected) => UserBadge.Initials(name).ShouldBe(expected);
}
