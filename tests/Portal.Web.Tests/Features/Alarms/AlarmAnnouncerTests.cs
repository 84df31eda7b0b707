using Portal.Core.Alarms;
using Portal.Web.Features.Alarms;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>Which alarms the browser announces: only ALARM episodes that began after the page loaded, and not snoozed ones.</summary>
public sealed class AlarmAnnouncerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static AlarmView View(string name, AlarmState state, DateTimeOffset since, DateTimeOffset? snoozedUntil = null) =>
        new(TestAlarms.Metric(name, state, since), new AlarmPlacement("dev", "cart", AlarmSeverity.High),
            AlarmTriage.None(name) with { SnoozedUntil = snoozedUntil }, Now);

    [Fact]
    public void Update_FirstLook_AnnouncesNothing()
    {
        var announcer = new AlarmAnnouncer();

        announcer.Update([View("dev/cart/5xx", AlarmState.Alarm, Now.AddMinutes(-3))]).ShouldBeEmpty();
    }

    [Fact]
    public void Update_AlarmThatStartsFiringLater_IsAnnouncedOnce()
    {
        var announcer = new AlarmAnnouncer();
        announcer.Update([View("dev/cart/5xx", AlarmState.Ok, Now.AddHours(-1)), View("dev/cart/cpu", AlarmState.Alarm, Now.AddMinutes(-9))]);

        var fired = View("dev/cart/5xx", AlarmState.Alarm, Now);
        var first = announcer.Update([fired, View("dev/cart/cpu", AlarmState.Alarm, Now.AddMinutes(-9))]);
        var again = announcer.Update([fired, View("dev/cart/cpu", AlarmState.Alarm, Now.AddMinutes(-9))]);

        first.Select(v => v.Name).ShouldBe(["dev/cart/5xx"]);
        again.ShouldBeEmpty();
        AlarmAnnouncer.Sentence(first[0]).ShouldBe("ALARM: dev/cart/5xx — Threshold Crossed: state Alarm");
    }

    [Fact]
    public void Update_AlarmFiringAgainAfterOk_IsAnnouncedAgain()
    {
        var announcer = new AlarmAnnouncer();
        announcer.Update([View("dev/cart/5xx", AlarmState.Alarm, Now.AddMinutes(-30))]);
        announcer.Update([View("dev/cart/5xx", AlarmState.Ok, Now.AddMinutes(-10))]);

        var refired = announcer.Update([View("dev/cart/5xx", AlarmState.Alarm, Now.AddMinutes(-1))]);

        refired.Select(v => v.Name).ShouldBe(["dev/cart/5xx"]);
    }

    [Fact]
    public void Update_SnoozedWhenItFired_IsNotAnnounced_NorWhenTheSnoozeEnds()
    {
        var announcer = new AlarmAnnouncer();
        announcer.Update([]);

        var snoozed = announcer.Update([View("dev/cart/5xx", AlarmState.Alarm, Now, snoozedUntil: Now.AddHours(1))]);
        var unsnoozed = announcer.Update([View("dev/cart/5xx", AlarmState.Alarm, Now)]);

        snoozed.ShouldBeEmpty();
        unsnoozed.ShouldBeEmpty("the episode began while snoozed: nothing new started firing");
    }
}
