using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Core.Costs;
using Portal.Testing;
using Portal.Web.Features.Costs;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Costs;

/// <summary>
/// The costs API over the real app and store, seeded by the real sampling job from a fixed snapshot on a clock the
/// test moves, with prices chosen so every figure is exact: one node of 2 cores and 4 GiB at 1.00 an hour with CPU
/// priced twice memory gives 0.25 a core-hour and 0.125 a GiB-hour. Two 1-hour slots are sampled on 2026-11-10.
/// dev's pod asks for 1 core and 2 GiB and uses 0.5 core and 3 GiB: allocated 1 core and 3 GiB, 0.625 an hour.
/// prod's pod asks for 0.5 core and 1 GiB and uses less: 0.25 an hour. The node's other 0.125 an hour is idle.
/// </summary>
public sealed class CostsApiTests : IClassFixture<CostsApiTests.App>
{
    private readonly App _app;

    public CostsApiTests(App app) => _app = app;

    public sealed class App : IAsyncLifetime
    {
        /// <summary>Half past the hour: no slot boundary is crossed by a slow test.</summary>
        public static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 30, 0, TimeSpan.Zero);

        public App()
        {
            Factory = new PortalAppFactory
            {
                Clock = Clock,
                ReplaceServices = s =>
                {
                    // The test samples when it means to; the host's own run at start would race it.
                    foreach (var host in s.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(CostSamplingHost)).ToList())
                    {
                        s.Remove(host);
                    }

                    s.AddSingleton<ICostSnapshotSource>(Source);
                },
            };
            Factory.Settings["Costs:SampleInterval"] = "01:00:00";
            Factory.Settings["Costs:Clusters:*:NodeTypes:test.node"] = "1.0";
            Factory.Settings["Costs:Clusters:*:CpuToMemoryPriceRatio"] = "2";
        }

        public FakeClock Clock { get; } = new(Start);

        public FixedCostSource Source { get; } = new();

        public PortalAppFactory Factory { get; }

        public async Task InitializeAsync()
        {
            var job = Factory.Services.GetRequiredService<CostSamplingJob>();
            (await job.RunAsync(CancellationToken.None)).Sampled.ShouldBe(["sandbox"]);
            Clock.Advance(TimeSpan.FromHours(1));
            (await job.RunAsync(CancellationToken.None)).Sampled.ShouldBe(["sandbox"]);
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    /// <summary>The sandbox cluster as the test fixes it, whenever it is asked.</summary>
    public sealed class FixedCostSource : ICostSnapshotSource
    {
        public IReadOnlyList<string> Clusters => ["sandbox"];

        public Task<ClusterCostSnapshot> SnapshotAsync(string cluster, CancellationToken ct) => Task.FromResult(new ClusterCostSnapshot(
            cluster, DateTimeOffset.UtcNow, UsageSource.MetricsApi,
            [new NodeSnapshot("node-1", "test.node", 2, 4)],
            [
                new PodSnapshot("dev", "cart-1", "cart", "node-1", 1, 2, 0.5, 3),
                new PodSnapshot("prod", "api-1", "api", "node-1", 0.5, 1, 0.25, 0.5),
            ],
            [],
            []));
    }

    [Fact]
    public async Task Summary_Csv_ExactFiguresForAManager_WithTheUnattributedIdle()
    {
        using var manager = await TokenClientAsync("manager");

        using var response = await manager.GetAsync(new Uri("/api/v1/costs?groupBy=environment&from=2026-11-10&to=2026-11-10&format=csv", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.FileName!.Trim('"').ShouldBe("portal-costs-by-environment-2026-11-10-to-2026-11-10.csv");
        // Forecast: month to date + the run rate of the sampled hours × the 493.5 hours from 10:30 on the 10th to December.
        (await response.Content.ReadAsStringAsync()).ShouldBe(
            "environment,total,cpu,memory,storage,network,shared,idle,monthToDate,forecast,budget,currency\r\n" +
            "dev,1.25,0.5,0.75,0,0,0,0,1.25,309.6875,500,USD\r\n" +
            "prod,0.5,0.25,0.25,0,0,0,0,0.5,123.875,8000,USD\r\n" +
            "(unattributed),0.25,0,0,0,0,0,0.25,,,,USD\r\n");
    }

    [Fact]
    public async Task Summary_DeveloperSeesOnlyTheirEnvironments_AndAcceptTextCsvAlsoExports()
    {
        using var dev = await TokenClientAsync("dev");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/costs?groupBy=service&from=2026-11-01&to=2026-11-10", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        using var response = await dev.SendAsync(request);
        var json = await dev.GetFromJsonAsync<JsonElement>("/api/v1/costs?groupBy=environment&from=2026-11-10&to=2026-11-10");

        (await response.Content.ReadAsStringAsync()).ShouldBe(
            "service,total,cpu,memory,storage,network,shared,idle,monthToDate,forecast,budget,currency\r\n" +
            "dev/cart,1.25,0.5,0.75,0,0,0,0,1.25,309.6875,,USD\r\n");
        json.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("key").GetString()).ShouldBe(["dev"], "dev may not read prod's costs");
        json.GetProperty("unattributed").ValueKind.ShouldBe(JsonValueKind.Null, "what ran outside environments is for organisation-wide readers");
        json.GetProperty("days")[0].GetProperty("total").GetDecimal().ShouldBe(1.25m);
    }

    [Fact]
    public async Task EnvironmentCosts_AndExplanation_ListThePodRecords_HiddenEnvironmentIs404()
    {
        using var dev = await TokenClientAsync("dev");

        var report = await dev.GetFromJsonAsync<JsonElement>("/api/v1/environments/dev/costs?from=2026-11-09&to=2026-11-10");
        var csv = await dev.GetStringAsync(new Uri("/api/v1/environments/dev/costs/explain?from=2026-11-10&to=2026-11-10&service=cart&format=csv", UriKind.Relative));
        using var hidden = await dev.GetAsync(new Uri("/api/v1/environments/prod/costs", UriKind.Relative));

        report.GetProperty("usage").GetString().ShouldBe("metricsApi");
        report.GetProperty("days")[0].GetProperty("total").ValueKind.ShouldBe(JsonValueKind.Null, "the 9th was never sampled: a gap, not zero");
        report.GetProperty("days")[1].GetProperty("byKey").GetProperty("cart").GetDecimal().ShouldBe(1.25m);
        report.GetProperty("services")[0].GetProperty("memory").GetDecimal().ShouldBe(0.75m);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("hour,cluster,subject,namespace,name,service,detail,hours,cpuRequestCoreHours,cpuUsageCoreHours,cpuAllocatedCoreHours,");
        lines.Skip(1).ShouldBe(
        [
            "2026-11-10T10:00:00Z,sandbox,Pod,dev,cart-1,cart,node-1,1,1,0.5,1,2,3,3,0,0.25,0.125,0,0.25,0.375,0,0.625,USD",
            "2026-11-10T09:00:00Z,sandbox,Pod,dev,cart-1,cart,node-1,1,1,0.5,1,2,3,3,0,0.25,0.125,0,0.25,0.375,0,0.625,USD",
        ]);
        hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await hidden.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("Not found");
    }

    [Theory]
    [InlineData("/api/v1/costs?from=2026-13-01", "from")]
    [InlineData("/api/v1/costs?from=2026-11-10&to=2026-11-01", "to")]
    [InlineData("/api/v1/costs?from=2025-01-01&to=2026-11-10", "to")]
    [InlineData("/api/v1/costs?groupBy=cluster", "groupBy")]
    [InlineData("/api/v1/costs?format=xml", "format")]
    [InlineData("/api/v1/environments/dev/costs?to=yesterday", "to")]
    [InlineData("/api/v1/environments/dev/costs/explain?from=2026-10-01&to=2026-11-10", "to")]
    [InlineData("/api/v1/environments/dev/costs/explain?resource=gpu", "resource")]
    [InlineData("/api/v1/costs/notices?month=November", "month")]
    public async Task BadInput_Is400ProblemJson_NamingTheParameter(string url, string parameter)
    {
        using var manager = await TokenClientAsync("manager");

        using var response = await manager.GetAsync(new Uri(url, UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(parameter, out _).ShouldBeTrue(url);
    }

    [Fact]
    public async Task TeamBudgets_OnlyWithCostsManage_ExpectedVersionGuards_AndCsvListsThem()
    {
        using var dev = await TokenClientAsync("dev");
        using var manager = await TokenClientAsync("manager");

        using var refused = await dev.PutAsJsonAsync("/api/v1/costs/budgets/teams/payments", new { monthlyBudget = 900 });
        using var missing = await manager.PutAsJsonAsync("/api/v1/costs/budgets/teams/payments", new { });
        using var set = await manager.PutAsJsonAsync("/api/v1/costs/budgets/teams/payments", new { monthlyBudget = 900 });
        var version = (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
        using var stale = await manager.PutAsJsonAsync("/api/v1/costs/budgets/teams/payments", new { monthlyBudget = 950, expectedVersion = version - 1 });
        var csv = await manager.GetStringAsync(new Uri("/api/v1/costs/budgets/teams?format=csv", UriKind.Relative));

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("permission").GetString().ShouldBe("costs.manage");
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("monthlyBudget", out _).ShouldBeTrue();
        set.StatusCode.ShouldBe(HttpStatusCode.OK);
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        csv.Split("\r\n")[0].ShouldBe("team,monthlyBudget,updatedBy,updatedAt,version");
        csv.ShouldContain($"payments,900,manager,2026-11-10T10:30:00Z,{version}\r\n");
    }

    [Fact]
    public async Task Status_RowPerVisibleEnvironment_WithItsMonth_AndCsv()
    {
        using var dev = await TokenClientAsync("dev");

        var rows = await dev.GetFromJsonAsync<JsonElement>("/api/v1/status");
        var csv = await dev.GetStringAsync(new Uri("/api/v1/status?format=csv", UriKind.Relative));

        rows.EnumerateArray().Select(r => r.GetProperty("environment").GetString()).ShouldBe(["dev", "test", "staging"]);
        var devRow = rows.EnumerateArray().First(r => r.GetProperty("environment").GetString() == "dev");
        devRow.GetProperty("month").GetProperty("monthToDate").GetDecimal().ShouldBe(1.25m);
        devRow.GetProperty("health").GetString().ShouldBe("unknown", "no cluster answers in this app: health cannot be known");
        csv.Split("\r\n")[0].ShouldStartWith("environment,tier,owner,status,health,podsReady,podsDesired,alarmsFiring,");
        csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(4);
    }

    [Fact]
    public async Task Teardown_ScheduledOnDev_RefusedOnProd_RefusedToAViewer()
    {
        using var admin = await TokenClientAsync("admin");
        using var viewer = await TokenClientAsync("viewer");
        var at = App.Start.AddDays(7);

        using var prod = await admin.PostAsJsonAsync("/api/v1/environments/prod/teardown", new { at });
        using var denied = await viewer.PostAsJsonAsync("/api/v1/environments/test/teardown", new { at });
        using var missing = await admin.PostAsJsonAsync("/api/v1/environments/test/teardown", new { });
        using var scheduled = await admin.PostAsJsonAsync("/api/v1/environments/test/teardown", new { at });

        prod.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await prod.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("at", out _).ShouldBeTrue();
        denied.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        scheduled.StatusCode.ShouldBe(HttpStatusCode.OK, await scheduled.Content.ReadAsStringAsync());
        (await scheduled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(at);
    }

    /// <summary>A client with a fresh personal access token of <paramref name="user"/>, made as they would make one.</summary>
    private async Task<HttpClient> TokenClientAsync(string user)
    {
        using var session = await _app.Factory.SignInAsync(user);
        using var created = await session.PostAsJsonAsync("/api/v1/me/tokens", new { name = $"costs-{Guid.NewGuid():N}"[..20] });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var client = _app.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
