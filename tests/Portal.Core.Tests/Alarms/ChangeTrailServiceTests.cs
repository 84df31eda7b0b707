using Portal.Core.Alarms;

namespace Portal.Core.Tests.Alarms;

public sealed class ChangeTrailServiceTests
{
    private static readonly TrailEvent Patch = new("e1", DateTimeOffset.UnixEpoch, "PatchDeployment", "kubernetes.sandbox", "portal", false,
        [new TrailResource("apps/v1/Deployment", "dev/cart")], "sandbox", null);

    [Fact]
    public void Attributes_FirstSetFilterGoesToCloudTrail_InAFixedOrder()
    {
        var filter = new TrailFilter { ReadOnly = false, ResourceName = "dev/cart", Username = "portal" };

        ChangeTrailService.Attributes(filter).ShouldBe(
        [
            new TrailAttribute(TrailAttributeKey.Username, "portal"),
            new TrailAttribute(TrailAttributeKey.ResourceName, "dev/cart"),
            new TrailAttribute(TrailAttributeKey.ReadOnly, "false"),
        ]);
        ChangeTrailService.Attributes(new TrailFilter { Username = "  " }).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(TrailAttributeKey.Username, "portal", true)]
    [InlineData(TrailAttributeKey.Username, "Portal", false)]
    [InlineData(TrailAttributeKey.EventName, "PatchDeployment", true)]
    [InlineData(TrailAttributeKey.EventName, "Patch", false)]
    [InlineData(TrailAttributeKey.ResourceName, "dev/cart", true)]
    [InlineData(TrailAttributeKey.ResourceName, "cart", false)]
    [InlineData(TrailAttributeKey.ResourceType, "apps/v1/Deployment", true)]
    [InlineData(TrailAttributeKey.ReadOnly, "false", true)]
    [InlineData(TrailAttributeKey.ReadOnly, "true", false)]
    [InlineData(TrailAttributeKey.EventSource, "kubernetes.sandbox", true)]
    [InlineData(TrailAttributeKey.EventId, "e2", false)]
    public void Matches_IsCloudTrailsExactMatch(TrailAttributeKey key, string value, bool expected) =>
        ChangeTrailService.Matches(Patch, new TrailAttribute(key, value)).ShouldBe(expected);
}
