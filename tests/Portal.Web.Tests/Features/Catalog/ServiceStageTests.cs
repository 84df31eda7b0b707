using Portal.Core.Deployments;
using Portal.Core.Environments;
using Portal.Web.Features.Catalog;
using Radzen;

namespace Portal.Web.Tests.Features.Catalog;

public sealed class ServiceStageTests
{
    private static readonly PortalEnvironment Dev = new() { Name = "dev", DisplayName = "Development", Tier = EnvironmentTier.Dev, Cluster = "sandbox", Namespace = "dev",
        OwningTeam = "payments", CostCentre = "cc-1", CreatedBy = "seed" };

    [Theory]
    [InlineData(3, 3, "healthy", "3/3 ready", BadgeStyle.Success)]
    [InlineData(3, 1, "partial", "1/3 ready", BadgeStyle.Warning)]
    [InlineData(2, 0, "down", "0/2 ready", BadgeStyle.Danger)]
    [InlineData(0, 0, "scaled-to-zero", "scaled to 0", BadgeStyle.Info)]
    public void Health_FromReadyOfDesired(int desired, int ready, string key, string text, BadgeStyle style)
    {
        var stage = new ServiceStage(Dev, Live("registry.portal.test/shop/api:1.4.2", desired, ready), null, null, false);

        (stage.HealthKey, stage.HealthText, stage.HealthStyle).ShouldBe((key, text, style));
        stage.Version.ShouldBe("1.4.2");
    }

    [Fact]
    public void NothingRunning_VersionOfTheLatestReleaseAndGrey()
    {
        var stage = new ServiceStage(Dev, null, Release("2.0.0", ReleaseState.Failed), null, false);

        (stage.HealthKey, stage.HealthStyle, stage.Version).ShouldBe(("not-deployed", BadgeStyle.Base, "2.0.0"));
        stage.Pending!.State.ShouldBe(ReleaseState.Failed);
    }

    [Fact]
    public void Unreachable_UnknownEvenWithAnOldLiveView()
    {
        var stage = new ServiceStage(Dev, Live("shop/api:1.0", 1, 1), null, null, Unreachable: true);

        (stage.HealthKey, stage.HealthText, stage.HealthStyle).ShouldBe(("unknown", "unknown", BadgeStyle.Base));
    }

    [Fact]
    public void For_Map_OneStagePerEnvironmentWithTheLatestAndLastSucceeded()
    {
        var test = Dev with { Name = "test", Tier = EnvironmentTier.Test };
        var failed = Release("1.1.0", ReleaseState.Failed) with { Environment = "test" };
        var succeeded = Release("1.0.0", ReleaseState.Succeeded) with { Environment = "test" };
        var map = new ServiceMap([Dev, test], new Dictionary<string, IReadOnlyList<LiveService>> { ["dev"] = [Live("shop/api:0.9", 1, 1)] },
            new Dictionary<(string, string), Release>(), ["test"]);

        var stages = ServiceStage.For(map, "api", [failed, succeeded]);

        stages.Select(s => s.Environment.Name).ShouldBe(["dev", "test"]);
        (stages[0].Version, stages[0].Latest, stages[0].Unreachable).ShouldBe(("0.9", null, false));
        (stages[1].Latest, stages[1].LastSucceeded, stages[1].Unreachable).ShouldBe((failed, succeeded, true));
    }

    private static LiveService Live(string image, int desired, int ready) => new("api", image, desired, ready, 100, 1 << 20);

    private static Release Release(string version, ReleaseState state) => new()
    {
        Id = Guid.NewGuid(),
        Service = "api",
        Environment = "dev",
        Number = 1,
        State = state,
        RequestedBy = "ann",
        CreatedAt = DateTimeOffset.UnixEpoch,
        Spec = new DeploySpec { Image = $"shop/api:{version}" },
        Manifests = [],
    };
}
