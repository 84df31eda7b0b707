using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Environments;
using Portal.Core.Jobs;
using Portal.Testing;

namespace Portal.Core.Tests.Environments;

public class EnvironmentExpiryTests
{
    private readonly FakeClock _clock = new();

    [Fact]
    public void Notices_ExpiringWithinADay_WarnedNotUrgent()
    {
        var notice = Expiry().Notices([Expiring("pr-1", TimeSpan.FromHours(23))]).ShouldHaveSingleItem();

        notice.Environment.ShouldBe("pr-1");
        notice.ExpiresAt.ShouldBe(_clock.GetUtcNow().AddHours(23));
        notice.TimeLeft.ShouldBe(TimeSpan.FromHours(23));
        notice.Urgent.ShouldBeFalse();
    }

    [Theory]
    [InlineData(25 * 60, false, false)]
    [InlineData((24 * 60) + 1, false, false)]
    [InlineData(24 * 60, true, false)]
    [InlineData(61, true, false)]
    [InlineData(60, true, true)]
    [InlineData(1, true, true)]
    [InlineData(0, true, true)]
    [InlineData(-30, true, true)]
    public void Notices_TimeLeft_WarnedWithinTheDayUrgentWithinTheHour(int minutesLeft, bool warned, bool urgent)
    {
        var notices = Expiry().Notices([Expiring("pr-1", TimeSpan.FromMinutes(minutesLeft))]);

        notices.Count.ShouldBe(warned ? 1 : 0);
        if (warned)
        {
            notices[0].Urgent.ShouldBe(urgent);
            notices[0].TimeLeft.ShouldBe(TimeSpan.FromMinutes(Math.Max(0, minutesLeft)), "an overdue environment has no time left, not negative time");
        }
    }

    [Fact]
    public void Notices_ClockMovesOn_EnvironmentEntersTheWindowsInTurn()
    {
        var expiry = Expiry();
        var environment = Expiring("pr-1", TimeSpan.FromHours(30));
        expiry.Notices([environment]).ShouldBeEmpty();

        _clock.Advance(TimeSpan.FromHours(6));
        expiry.Notices([environment]).ShouldHaveSingleItem().Urgent.ShouldBeFalse();

        _clock.Advance(TimeSpan.FromHours(23));
        var urgent = expiry.Notices([environment]).ShouldHaveSingleItem();
        urgent.Urgent.ShouldBeTrue();
        urgent.TimeLeft.ShouldBe(TimeSpan.FromHours(1));
    }

    [Theory]
    [InlineData(EnvironmentStatus.DestroyRequested)]
    [InlineData(EnvironmentStatus.Destroying)]
    [InlineData(EnvironmentStatus.Destroyed)]
    [InlineData(EnvironmentStatus.Rejected)]
    public void Notices_EnvironmentOnItsWayOut_NotWarned(EnvironmentStatus status) =>
        Expiry().Notices([Expiring("pr-1", TimeSpan.FromMinutes(30)) with { Status = status }]).ShouldBeEmpty();

    [Theory]
    [InlineData(EnvironmentStatus.Requested)]
    [InlineData(EnvironmentStatus.Provisioning)]
    [InlineData(EnvironmentStatus.Ready)]
    [InlineData(EnvironmentStatus.Failed)]
    public void Notices_EnvironmentStillThere_Warned(EnvironmentStatus status) =>
        Expiry().Notices([Expiring("pr-1", TimeSpan.FromMinutes(30)) with { Status = status }]).ShouldHaveSingleItem();

    [Fact]
    public void Notices_LongLivedEnvironment_NeverWarned() =>
        Expiry().Notices([Expiring("prod", TimeSpan.Zero) with { ExpiresAt = null }]).ShouldBeEmpty();

    [Fact]
    public void Notices_Several_SoonestFirst()
    {
        var notices = Expiry().Notices([
            Expiring("later", TimeSpan.FromHours(20)),
            Expiring("far", TimeSpan.FromDays(3)),
            Expiring("soon", TimeSpan.FromMinutes(10)),
            Expiring("middle", TimeSpan.FromHours(2)),
        ]);

        notices.Select(n => n.Environment).ShouldBe(["soon", "middle", "later"]);
        notices.Select(n => n.Urgent).ShouldBe([true, false, false]);
    }

    [Fact]
    public void Notices_ConfiguredWarningHours_WidestIsTheWindowNarrowestIsUrgent()
    {
        var expiry = Expiry(new EnvironmentPolicyOptions { ExpiryWarningHours = [6, 48] });

        expiry.Notices([Expiring("pr-1", TimeSpan.FromHours(47))]).ShouldHaveSingleItem().Urgent.ShouldBeFalse();
        expiry.Notices([Expiring("pr-1", TimeSpan.FromHours(5))]).ShouldHaveSingleItem().Urgent.ShouldBeTrue();
        expiry.Notices([Expiring("pr-1", TimeSpan.FromHours(49))]).ShouldBeEmpty();
    }

    private EnvironmentExpiry Expiry(EnvironmentPolicyOptions? policy = null) =>
        new(NoUnitOfWork.Instance, new Jobs.InMemoryJobStore(), new PortalActions(NoUnitOfWork.Instance, _clock), _clock, new NoDispatcher(), Options.Create(policy ?? new EnvironmentPolicyOptions()));

    private PortalEnvironment Expiring(string name, TimeSpan left) => new()
    {
        Name = name,
        DisplayName = name,
        Tier = EnvironmentTier.Dev,
        Cluster = "sandbox",
        Namespace = name,
        OwningTeam = "payments",
        CostCentre = "cc-1",
        CreatedBy = "ann",
        CreatedAt = _clock.GetUtcNow().AddDays(-1),
        ExpiresAt = _clock.GetUtcNow() + left,
        Status = EnvironmentStatus.Ready,
        Version = 1,
    };

    /// <summary>Notices are computed from what the caller passes in: touching the database would be a bug.</summary>
    private sealed class NoUnitOfWork : IUnitOfWorkFactory
    {
        public static readonly NoUnitOfWork Instance = new();

        public IPortalUnitOfWork Begin() => throw new InvalidOperationException("Notices must not open a unit of work.");
    }

    private sealed class NoDispatcher : IJobDispatcher
    {
        public Task DispatchAsync(Guid jobId, DateTimeOffset? at, CancellationToken ct) =>
            throw new InvalidOperationException("Notices must not dispatch jobs.");
    }
}
