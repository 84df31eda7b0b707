using Portal.Core.Environments;
using Portal.Web.Components.Shared;

namespace Portal.Web.Tests.Components.Shared;

public class EnvironmentContextTests
{
    private static readonly EnvironmentSummary Dev = new("dev", "Development", EnvironmentTier.Dev);
    private static readonly EnvironmentSummary Prod = new("prod", "Production", EnvironmentTier.Prod);

    [Fact]
    public void Update_MissingName_KeepsCurrentChoice()
    {
        var context = new EnvironmentContext();
        IReadOnlyList<EnvironmentSummary> all = [Dev, Prod];
        context.Update(all, "prod");

        context.Update(all, null);

        context.Current.ShouldBe(Prod);
        context.Query.ShouldBe("?env=prod");
    }

    [Fact]
    public void Update_SameChoice_DoesNotRaiseChanged()
    {
        var context = new EnvironmentContext();
        IReadOnlyList<EnvironmentSummary> all = [Dev, Prod];
        context.Update(all, "dev");
        var raised = 0;
        context.Changed += () => raised++;

        context.Update(all, "dev");
        context.Update(all, "prod");

        raised.ShouldBe(1);
    }

    [Fact]
    public void Update_NoEnvironments_HasNoCurrentAndEmptyQuery()
    {
        var context = new EnvironmentContext();

        context.Update([], "prod");

        context.Current.ShouldBeNull();
        context.Query.ShouldBe("");
    }
}
