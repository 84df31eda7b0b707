using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Alarms;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Alarms;

/// <summary>
/// The alarms API over the real app and database, with the AWS ports scripted: who sees which alarm, who may triage
/// (decided on the server and audited whatever the outcome), validation naming the field, and degraded reads.
/// </summary>
public sealed class AlarmsApiTests : IClassFixture<AlarmsApiTests.App>, IAsyncLifetime
{
    private static readonly DateTimeOffset Fired = DateTimeOffset.UtcNow.AddMinutes(-7);
    private readonly App _app;

    public AlarmsApiTests(App app) => _app = app;

    public sealed class App : IDisposable
    {
        public App()
        {
            Factory.ReplaceServices = s =>
            {
                s.AddSingleton<IAlarmSource>(Source);
                s.AddSingleton<IChangeTrail>(Source);
            };
        }

        public ScriptedAlarmSource Source { get; } = new();

        public PortalAppFactory Factory { get; } = new();

        public void Dispose() => Factory.Dispose();
    }

    public async Task InitializeAsync()
    {
        var source = _app.Source;
        source.Failure = null;
        source.Alarms.Clear();
        foreach (var alarm in new[]
        {
            TestAlarms.Metric("dev/cart/5xx-rate", AlarmState.Alarm, Fired, "critical"),
            TestAlarms.Metric("dev/cart/cpu-high", AlarmState.Ok, Fired.AddHours(-2)),
            TestAlarms.Metric("staging/search/cpu-high", AlarmState.InsufficientData, Fired, "info"),
            TestAlarms.Metric("prod/payments/5xx-rate", AlarmState.Alarm, Fired.AddMinutes(2), "high"),
            TestAlarms.Metric("billing-export-failed", AlarmState.Alarm, Fired),
        })
        {
            source.Alarms[alarm.Name] = alarm;
        }

        await RefreshAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Board_IsNarrowedToWhatEachPersonMaySee_MostUrgentFirst()
    {
        using var dev = await _app.Factory.SignInAsync("dev");
        using var manager = await _app.Factory.SignInAsync("manager");

        var mine = await BoardAsync(dev, "");
        var all = await BoardAsync(manager, "");

        Names(mine).ShouldBe(["dev/cart/5xx-rate", "staging/search/cpu-high", "dev/cart/cpu-high"], "ALARM, then INSUFFICIENT_DATA, then OK; no prod, no unplaced alarm");
        Names(all).ShouldBe(["dev/cart/5xx-rate", "prod/payments/5xx-rate", "billing-export-failed", "staging/search/cpu-high", "dev/cart/cpu-high"],
            "within a state, by severity: critical, high, then warning (the default)");
        var first = mine.GetProperty("alarms")[0];
        first.GetProperty("state").GetString().ShouldBe("ALARM");
        first.GetProperty("environment").GetString().ShouldBe("dev");
        first.GetProperty("service").GetString().ShouldBe("cart");
        first.GetProperty("severity").GetString().ShouldBe("critical");
        first.GetProperty("condition").GetString().ShouldBe("HTTP5xxRate above 5 for 2 of 3 periods of 1 minute");
        mine.GetProperty("counts").GetProperty("firing").GetInt32().ShouldBe(1);
        all.GetProperty("counts").GetProperty("firing").GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task Board_Filters_AndABadStateNamesTheField()
    {
        using var admin = await _app.Factory.SignInAsync("admin");

        Names(await BoardAsync(admin, "?state=alarm&environment=dev")).ShouldBe(["dev/cart/5xx-rate"]);
        Names(await BoardAsync(admin, "?severity=info")).ShouldBe(["staging/search/cpu-high"]);
        Names(await BoardAsync(admin, "?q=PAYMENTS")).ShouldBe(["prod/payments/5xx-rate"]);
        using var bad = await admin.GetAsync(new Uri("/api/v1/alarms?state=FIRING&severity=9", UriKind.Relative));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("state")[0].GetString()!.ShouldContain("INSUFFICIENT_DATA");
        errors.TryGetProperty("severity", out _).ShouldBeTrue("a number is not a severity name");
    }

    [Fact]
    public async Task Acknowledge_NeedsOperator_IsAudited_AndHiddenAlarmsAre404()
    {
        using var dev = await _app.Factory.SignInAsync("dev");
        using var oncall = await _app.Factory.SignInAsync("oncall");

        using var denied = await dev.PostAsync(Url("dev/cart/5xx-rate", "ack"), null);
        using var hidden = await dev.PostAsync(Url("prod/payments/5xx-rate", "ack"), null);
        using var done = await oncall.PostAsync(Url("dev/cart/5xx-rate", "ack"), null);

        denied.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await denied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("permission").GetString().ShouldBe("alarms.acknowledge");
        hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound, "dev may not even see prod's alarms");
        done.StatusCode.ShouldBe(HttpStatusCode.OK);
        var alarm = (await BoardAsync(dev, "?state=ALARM")).GetProperty("alarms")[0];
        alarm.GetProperty("acknowledged").GetBoolean().ShouldBeTrue();
        alarm.GetProperty("triage").GetProperty("acknowledgedBy").GetString().ShouldBe("oncall");
        var outcomes = await AuditOutcomesAsync("alarms.acknowledge", "dev/cart/5xx-rate");
        outcomes.ShouldContain("denied");
        outcomes.ShouldContain("succeeded");
    }

    [Fact]
    public async Task Acknowledge_BelongsToTheEpisode_AnOkAlarmHasNothingToAcknowledge()
    {
        using var oncall = await _app.Factory.SignInAsync("oncall");
        (await oncall.PostAsync(Url("dev/cart/5xx-rate", "ack"), null)).EnsureSuccessStatusCode();

        using var ok = await oncall.PostAsync(Url("dev/cart/cpu-high", "ack"), null);
        ok.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // It recovers and fires again: a new episode, nobody has it yet.
        _app.Source.Alarms["dev/cart/5xx-rate"] = _app.Source.Alarms["dev/cart/5xx-rate"] with { StateChangedAt = DateTimeOffset.UtcNow.AddSeconds(-5) };
        await RefreshAsync();
        var board = await BoardAsync(oncall, "?environment=dev&state=ALARM");
        board.GetProperty("alarms")[0].GetProperty("acknowledged").GetBoolean().ShouldBeFalse();
        board.GetProperty("alarms")[0].GetProperty("triage").GetProperty("acknowledgedBy").GetString().ShouldBe("oncall", "who acknowledged the last episode is still on record");
    }

    [Fact]
    public async Task Assign_OnlyToPeoplePortalKnows()
    {
        using var oncall = await _app.Factory.SignInAsync("oncall");

        using var unknown = await oncall.PostAsJsonAsync(Url("dev/cart/5xx-rate", "assign"), new { assignee = "nobody-here" });
        using var known = await oncall.PostAsJsonAsync(Url("dev/cart/5xx-rate", "assign"), new { assignee = "dev" });

        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("assignee")[0].GetString()!.ShouldContain("nobody-here");
        known.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await known.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assignee").GetString().ShouldBe("dev");
    }

    [Fact]
    public async Task Snooze_MustBeAheadAndWithinAWeek_LeavesTheCounts_AndEnds()
    {
        using var oncall = await _app.Factory.SignInAsync("oncall");
        var before = (await BoardAsync(oncall, "")).GetProperty("counts").GetProperty("firing").GetInt32();

        using var past = await oncall.PostAsJsonAsync(Url("prod/payments/5xx-rate", "snooze"), new { until = DateTimeOffset.UtcNow.AddMinutes(-1) });
        using var far = await oncall.PostAsJsonAsync(Url("prod/payments/5xx-rate", "snooze"), new { until = DateTimeOffset.UtcNow.AddDays(8) });
        using var missing = await oncall.PostAsJsonAsync(Url("prod/payments/5xx-rate", "snooze"), new { });
        using var snoozed = await oncall.PostAsJsonAsync(Url("prod/payments/5xx-rate", "snooze"), new { until = DateTimeOffset.UtcNow.AddHours(1) });

        foreach (var refused in new[] { past, far, missing })
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("until", out _).ShouldBeTrue();
        }

        snoozed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var board = await BoardAsync(oncall, "");
        board.GetProperty("counts").GetProperty("firing").GetInt32().ShouldBe(before - 1);
        board.GetProperty("counts").GetProperty("snoozed").GetInt32().ShouldBe(1);
        Names(board)[^1].ShouldBe("prod/payments/5xx-rate", "snoozed alarms come last");
        Names(await BoardAsync(oncall, "?includeSnoozed=false")).ShouldNotContain("prod/payments/5xx-rate");

        using var ended = await oncall.DeleteAsync(Url("prod/payments/5xx-rate", "snooze"));
        ended.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await BoardAsync(oncall, "")).GetProperty("counts").GetProperty("firing").GetInt32().ShouldBe(before);
    }

    [Fact]
    public async Task Notes_AnyoneWhoSeesTheAlarm_InOrder_AndEmptyIsRefused()
    {
        using var viewer = await _app.Factory.SignInAsync("viewer");
        using var oncall = await _app.Factory.SignInAsync("oncall");
        var name = "staging/search/cpu-high";

        using var empty = await viewer.PostAsJsonAsync(Url(name, "notes"), new { text = "   " });
        (await viewer.PostAsJsonAsync(Url(name, "notes"), new { text = "looking at the search pods" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await oncall.PostAsJsonAsync(Url(name, "notes"), new { text = "a node was drained at 17:02" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("text")[0].GetString().ShouldBe("is required");
        var detail = await viewer.GetFromJsonAsync<JsonElement>(Url(name, ""));
        var notes = detail.GetProperty("notes").EnumerateArray().Select(n => (n.GetProperty("author").GetString(), n.GetProperty("text").GetString())).ToList();
        notes.ShouldBe([("viewer", "looking at the search pods"), ("oncall", "a node was drained at 17:02")]);
        (await AuditOutcomesAsync("alarms.note", name)).Count(o => o == "succeeded").ShouldBe(2);
    }

    [Fact]
    public async Task Runbook_MustBeAnHttpUrl_AndIsShownWithTheAlarm()
    {
        using var oncall = await _app.Factory.SignInAsync("oncall");

        using var bad = await oncall.PutAsJsonAsync(Url("dev/cart/5xx-rate", "runbook"), new { url = "javascript:alert(1)" });
        using var good = await oncall.PutAsJsonAsync(Url("dev/cart/5xx-rate", "runbook"), new { url = "https://runbooks.example.com/cart/5xx" });

        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("url", out _).ShouldBeTrue();
        good.StatusCode.ShouldBe(HttpStatusCode.OK);
        var detail = await oncall.GetFromJsonAsync<JsonElement>(Url("dev/cart/5xx-rate", ""));
        detail.GetProperty("alarm").GetProperty("triage").GetProperty("runbookUrl").GetString().ShouldBe("https://runbooks.example.com/cart/5xx");
    }

    [Fact]
    public async Task Detail_HistoryAndMetricFromTheSource_AndAFailingSourceDegradesOnlyThosePanels()
    {
        using var dev = await _app.Factory.SignInAsync("dev");
        _app.Source.History.Clear();
        _app.Source.History.Add(new AlarmHistoryItem(Fired, AlarmHistoryKind.StateUpdate, "Alarm updated from OK to ALARM", AlarmState.Ok, AlarmState.Alarm));
        _app.Source.Metric = new MetricSeries("HTTP5xxRate", 60, [new MetricPoint(Fired.AddMinutes(-1), 2), new MetricPoint(Fired, 48.5)]);

        var detail = await dev.GetFromJsonAsync<JsonElement>(Url("dev/cart/5xx-rate", ""));
        _app.Source.Failure = new AlarmSourceException(AwsFailure.Throttled, "CloudWatch is throttling account 'test'; try again in a minute.");
        var degraded = await dev.GetFromJsonAsync<JsonElement>(Url("dev/cart/5xx-rate", ""));

        detail.GetProperty("threshold").GetDouble().ShouldBe(5);
        detail.GetProperty("history")[0].GetProperty("newState").GetString().ShouldBe("ALARM");
        detail.GetProperty("metric").GetProperty("points")[1].GetProperty("value").GetDouble().ShouldBe(48.5);
        degraded.GetProperty("sourceProblem").GetString()!.ShouldContain("throttling");
        degraded.GetProperty("alarm").GetProperty("name").GetString().ShouldBe("dev/cart/5xx-rate", "the alarm itself still shows, from the last read");
        degraded.GetProperty("history").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Board_WhenCloudWatchFails_KeepsTheLastAlarmsAndSaysWhy_ThenRecovers()
    {
        using var admin = await _app.Factory.SignInAsync("admin");
        _app.Source.Failure = new AlarmSourceException(AwsFailure.Credentials, "The AWS credentials for account 'test' have expired.");
        await RefreshAsync();

        var failing = await BoardAsync(admin, "");
        _app.Source.Failure = null;
        await RefreshAsync();
        var recovered = await BoardAsync(admin, "");

        Names(failing).Count.ShouldBe(5);
        failing.GetProperty("problems")[0].GetString()!.ShouldContain("expired");
        recovered.GetProperty("problems").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Trail_ViewersOfTheEnvironment_OneAttributeToCloudTrail_TheRestFilteredHere()
    {
        var now = DateTimeOffset.UtcNow;
        _app.Source.Events.Clear();
        _app.Source.Events.AddRange(
        [
            new TrailEvent("1", now.AddMinutes(-3), "PatchDeployment", "kubernetes.sandbox", "portal", false, [new("apps/v1/Deployment", "dev/cart")], "sandbox", "{}"),
            new TrailEvent("2", now.AddMinutes(-2), "DeletePod", "kubernetes.sandbox", "portal", false, [new("v1/Pod", "dev/cart-1")], "sandbox", "{}"),
            new TrailEvent("3", now.AddMinutes(-1), "PatchDeployment", "kubernetes.sandbox", "ci-bot", false, [new("apps/v1/Deployment", "dev/cart")], "sandbox", "{}"),
        ]);
        using var dev = await _app.Factory.SignInAsync("dev");
        using var manager = await _app.Factory.SignInAsync("manager");

        var page = await dev.GetFromJsonAsync<JsonElement>("/api/v1/environments/dev/trail?username=portal&eventName=PatchDeployment");
        using var refused = await manager.GetAsync(new Uri("/api/v1/environments/dev/trail", UriKind.Relative));
        using var hidden = await dev.GetAsync(new Uri("/api/v1/environments/prod/trail", UriKind.Relative));
        using var bad = await dev.GetAsync(new Uri("/api/v1/environments/dev/trail?limit=0&from=2020-01-01T00:00:00Z", UriKind.Relative));

        page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ShouldBe(["1"]);
        _app.Source.TrailQueries.Last().Query.Attribute.ShouldBe(new TrailAttribute(TrailAttributeKey.Username, "portal"));
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "a Manager does not read audit trails");
        hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("limit", out _).ShouldBeTrue();
        errors.GetProperty("from")[0].GetString()!.ShouldContain("90 days");
    }

    private async Task RefreshAsync() => await _app.Factory.Services.GetRequiredService<IAlarmFeed>().RefreshAsync(CancellationToken.None);

    private static Uri Url(string name, string action) =>
        new($"/api/v1/alarms/{Uri.EscapeDataString(name)}{(action.Length > 0 ? "/" + action : "")}", UriKind.Relative);

    private static async Task<JsonElement> BoardAsync(HttpClient client, string query) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/v1/alarms{query}");

    private static List<string> Names(JsonElement board) => [.. board.GetProperty("alarms").EnumerateArray().Select(a => a.GetProperty("name").GetString()!)];

    private async Task<List<string>> AuditOutcomesAsync(string action, string target)
    {
        using var admin = await _app.Factory.SignInAsync("admin");
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?action={action}&take=200");
        return [.. page.GetProperty("records").EnumerateArray().Where(r => r.GetProperty("target").GetString() == target).Select(r => r.GetProperty("outcome").GetString()!)];
    }
}
