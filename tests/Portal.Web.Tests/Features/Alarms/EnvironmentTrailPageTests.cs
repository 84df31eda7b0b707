using Portal.Core.Alarms;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>An environment's CloudTrail timeline as the server first renders it: who may read it, and how the filters reach CloudTrail.</summary>
[Collection(AlarmPagesCollection.Name)]
public sealed class EnvironmentTrailPageTests(AlarmPagesFixture app) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public async Task InitializeAsync()
    {
        await app.SetAlarmsAsync();
        app.Source.Events.AddRange(
        [
            new("t-3", Now.AddMinutes(-5), "PutMetricAlarm", "monitoring.amazonaws.com", "oncall", false, [new("AWS::CloudWatch::Alarm", "dev/cart/5xx")], "test", "{\"eventName\":\"PutMetricAlarm\"}"),
            new("t-2", Now.AddMinutes(-10), "DescribeAlarms", "monitoring.amazonaws.com", "oncall", true, [], "test", null),
            new("t-1", Now.AddHours(-2), "PutMetricAlarm", "monitoring.amazonaws.com", "dev", false, [new("AWS::CloudWatch::Alarm", "dev/cart/cpu")], "test", null),
            new("t-0", Now.AddDays(-3), "DeleteAlarms", "monitoring.amazonaws.com", "oncall", false, [], "test", null),
        ]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Trail_Operator_ListsTheLastDaysEventsNewestFirst()
    {
        using var oncall = await app.Factory.SignInAsync("oncall");

        var doc = await app.PageAsync(oncall, "/environments/dev/trail");

        Rows(doc).ShouldBe(["t-3", "t-2", "t-1"], "the default range is the last 24 hours");
        doc.QuerySelector("[data-testid='trail-row'] [data-testid='trail-event-name']")!.TextContent.ShouldBe("PutMetricAlarm");
        doc.QuerySelector("[data-testid='trail-summary']")!.TextContent.ShouldContain("3 events from");
        doc.QuerySelector("[data-testid='trail-more']").ShouldBeNull("CloudTrail said there is no next page");
        app.Source.TrailQueries.Last().Query.Attribute.ShouldBeNull();
    }

    [Fact]
    public async Task Trail_Filters_TheFirstGoesToCloudTrail_TheOthersNarrowThePage_AndTheRangeWidens()
    {
        using var oncall = await app.Factory.SignInAsync("oncall");

        var doc = await app.PageAsync(oncall, "/environments/dev/trail?user=oncall&readonly=false&range=7d");

        Rows(doc).ShouldBe(["t-3", "t-0"]);
        var (environment, query) = app.Source.TrailQueries.Last();
        environment.ShouldBe("dev");
        query.Attribute.ShouldBe(new TrailAttribute(TrailAttributeKey.Username, "oncall"));
        (query.To - query.From).ShouldBe(TimeSpan.FromDays(7));
        doc.QuerySelector("[data-testid='trail-hint']")!.TextContent.ShouldContain("The user filter is sent to CloudTrail");
        doc.QuerySelector("[data-testid='trail-filter-user']")!.GetAttribute("value").ShouldBe("oncall");
    }

    [Fact]
    public async Task Trail_ManagerWithoutTheAuditRole_IsToldWhy_AndUnknownEnvironmentIsNotFound()
    {
        using var manager = await app.Factory.SignInAsync("manager");
        using var oncall = await app.Factory.SignInAsync("oncall");

        var denied = await app.PageAsync(manager, "/environments/dev/trail");
        var unknown = await app.PageAsync(oncall, "/environments/nowhere/trail");

        denied.QuerySelector("[data-testid='trail-denied']").ShouldNotBeNull();
        Rows(denied).ShouldBeEmpty();
        unknown.QuerySelector("[data-testid='trail-not-found']").ShouldNotBeNull();
    }

    [Fact]
    public async Task EnvironmentPage_LinksToItsTrail()
    {
        using var oncall = await app.Factory.SignInAsync("oncall");

        var doc = await app.PageAsync(oncall, "/environments/dev");

        doc.QuerySelector("[data-testid='environment-trail-link']")!.GetAttribute("href").ShouldBe("environments/dev/trail");
    }

    private static List<string?> Rows(AngleSharp.Dom.IDocument doc) =>
        [.. doc.QuerySelectorAll("[data-testid='trail-row']").Select(r => r.GetAttribute("data-event-id"))];
}
