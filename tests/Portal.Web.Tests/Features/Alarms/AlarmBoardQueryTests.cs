using Portal.Core.Alarms;
using Portal.Web.Features.Alarms;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>The board's filters as the URL carries them: read in any case, written the way they are read back.</summary>
public sealed class AlarmBoardQueryTests
{
    [Fact]
    public void Parse_StatesAndSeveritiesInAnyCase_BlanksAsUnset()
    {
        var query = AlarmBoardQuery.Parse("insufficient_data", " prod ", "", "CRITICAL", "  ");

        query.State.ShouldBe(AlarmState.InsufficientData);
        query.Environment.ShouldBe("prod");
        query.Service.ShouldBeNull();
        query.Severity.ShouldBe(AlarmSeverity.Critical);
        query.Text.ShouldBeNull();
        query.IsEmpty.ShouldBeFalse();
    }

    [Theory]
    [InlineData("firing", "urgent")]
    [InlineData("0", "1")]
    public void Parse_UnknownValues_AreDropped(string state, string severity)
    {
        var query = AlarmBoardQuery.Parse(state, null, null, severity, null);

        query.State.ShouldBeNull();
        query.Severity.ShouldBeNull();
        query.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void ToUrlQuery_ReadsBackTheSameQuery_AndLeavesUnsetOnesOut()
    {
        var query = new AlarmBoardQuery { State = AlarmState.Alarm, Service = "cart", Severity = AlarmSeverity.High, Text = "latency" };

        var url = query.ToUrlQuery();
        var back = AlarmBoardQuery.Parse(url["state"] as string, url["environment"] as string, url["service"] as string, url["severity"] as string, url["q"] as string);

        url["state"].ShouldBe("ALARM");
        url["severity"].ShouldBe("high");
        url["environment"].ShouldBeNull();
        back.ShouldBe(query);
    }

    [Fact]
    public void ToFilter_CarriesEveryField()
    {
        var filter = new AlarmBoardQuery { State = AlarmState.Ok, Environment = "dev", Service = "cart", Severity = AlarmSeverity.Info, Text = "x" }.ToFilter();

        filter.ShouldBe(new AlarmFilter { State = AlarmState.Ok, Environment = "dev", Service = "cart", Severity = AlarmSeverity.Info, Text = "x" });
    }
}
