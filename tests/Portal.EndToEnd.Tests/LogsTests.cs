using System.Globalization;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Discover in Chromium against the embedded log store, which the sandbox pods' shipper fills a few seconds after start:
/// search, histogram, sidebar filters and columns kept in the URL, expanded rows, surrounding documents, saved searches,
/// syntax errors, the live tail, and the explanation for someone who may read no logs.
/// </summary>
[Collection(PortalCollection.Name)]
public class LogsTests(PortalServerFixture server) : BrowserTest(server)
{
    private const string Rows = "[data-testid='log-row']";

    [Fact]
    public Task Discover_DeveloperSearchesErrors_FiltersFromTheSidebar_AndTheUrlRestoresIt() => WithPageAsync(nameof(Discover_DeveloperSearchesErrors_FiltersFromTheSidebar_AndTheUrlRestoresIt), 1440, 1000, async page =>
    {
        await OpenAsync(page, "/logs?env=dev", user: "dev");
        await page.Locator("[data-testid='query-input']").FillAsync("level:error");
        await page.Locator("[data-testid='query-input']").PressAsync("Enter");
        await UrlAsync(page, url => url.Contains("q=level%3Aerror", StringComparison.Ordinal));
        // The address changes in the browser before the circuit starts the new search: until its answer comes, the
        // unfiltered rows are still on screen. Wait for them to go.
        await Expect(page.Locator(Rows).Filter(new() { HasNotText = "level=error" })).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await WaitForHitsAsync(page);

        var lines = await page.Locator($"{Rows} [data-testid='row-cell']").AllTextContentsAsync();
        lines.ShouldAllBe(l => l.Contains("level=error", StringComparison.Ordinal));
        var counts = await page.Locator("[data-testid='histogram-bar']").EvaluateAllAsync<long[]>("bars => bars.map(b => Number(b.dataset.count))");
        counts.Sum().ShouldBeGreaterThan(0);
        (await page.Locator("[data-testid='field-sample-note']").TextContentAsync()).ShouldStartWith("Top values from ");

        var podField = page.Locator("[data-testid='field'][data-field='kubernetes.pod_name']");
        await podField.Locator("[data-testid='field-toggle']").ClickAsync();
        var firstValue = podField.Locator("[data-testid='field-value']").First;
        var pod = (await firstValue.GetAttributeAsync("data-value"))!;
        await firstValue.Locator("[data-testid='field-filter-for']").ClickAsync();
        await UrlAsync(page, url => url.Contains($"f=kubernetes.pod_name%3A{Uri.EscapeDataString(pod)}", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid='filter-pill-text']")).ToHaveTextAsync($"kubernetes.pod_name: {pod}");
        await podField.Locator("[data-testid='field-column']").ClickAsync();
        await UrlAsync(page, url => url.Contains("cols=kubernetes.pod_name", StringComparison.Ordinal));
        await Expect(page.Locator($"{Rows} [data-testid='row-cell'][data-field='kubernetes.pod_name']").First).ToHaveTextAsync(pod);
        await Expect(page.Locator($"{Rows} [data-testid='row-cell'][data-field='kubernetes.pod_name']").Filter(new() { HasNotText = pod })).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        (await page.Locator($"{Rows} [data-testid='row-cell'][data-field='kubernetes.pod_name']").AllTextContentsAsync()).ShouldAllBe(p => p.Trim() == pod);

        await page.ReloadAsync();
        await page.Locator(".portal-shell[data-interactive='true']").WaitForAsync();

        await Expect(page.Locator("[data-testid='query-input']")).ToHaveValueAsync("level:error");
        await Expect(page.Locator("[data-testid='filter-pill-text']")).ToHaveTextAsync($"kubernetes.pod_name: {pod}");
        await Expect(page.Locator("[data-testid='column-header'][data-field='kubernetes.pod_name']")).ToBeVisibleAsync();
        await Expect(page.Locator($"{Rows} [data-testid='row-cell'][data-field='kubernetes.pod_name']").First).ToHaveTextAsync(pod);
        await Expect(page.Locator("[data-testid='logs-environment']")).ToHaveValueAsync("dev");

        await page.Locator("[data-testid='filter-pill-negate']").ClickAsync();
        await UrlAsync(page, url => url.Contains($"f=-kubernetes.pod_name%3A{Uri.EscapeDataString(pod)}", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid='filter-pill-text']")).ToHaveTextAsync($"NOT kubernetes.pod_name: {pod}");
        await Expect(page.Locator($"{Rows} [data-testid='row-cell'][data-field='kubernetes.pod_name']", new() { HasText = pod })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Discover_ExpandedRow_ShowsItsFieldsAndJson_AndItsSurroundingDocuments() => WithPageAsync(nameof(Discover_ExpandedRow_ShowsItsFieldsAndJson_AndItsSurroundingDocuments), 1440, 1100, async page =>
    {
        await OpenAsync(page, "/logs?env=dev&q=level%3Aerror", user: "dev");
        await WaitForHitsAsync(page);
        var row = page.Locator(Rows).First;
        var line = (await row.Locator("[data-testid='row-cell']").TextContentAsync())!;

        await row.Locator("[data-testid='row-toggle']").ClickAsync();

        var detail = page.Locator("[data-testid='log-row-detail']").First;
        await Expect(row.Locator("[data-testid='row-toggle']")).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(detail.Locator("[data-testid='detail-field'][data-field='level']")).ToContainTextAsync("error");
        var pod = (await detail.Locator("[data-testid='detail-field'][data-field='kubernetes.pod_name'] a").TextContentAsync())!;
        (await detail.Locator("[data-testid='detail-pod-link']").GetAttributeAsync("href")).ShouldBe($"environments/dev/pods/{pod}");
        await detail.Locator("[data-testid='detail-tab-json']").ClickAsync();
        await Expect(detail.Locator("[data-testid='detail-json']")).ToContainTextAsync("\"pod_name\": \"" + pod + "\"");

        await detail.Locator("[data-testid='detail-surrounding']").ClickAsync();
        var surrounding = detail.Locator("[data-testid='surrounding']");
        await Expect(surrounding.Locator("[data-testid='surrounding-anchor']")).ToContainTextAsync(line.Trim());
        await Expect(surrounding.Locator("[data-testid='surrounding-source']")).ToContainTextAsync(pod);
        await Expect(surrounding.Locator("[data-testid='surrounding-row']").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        var older = await CountAsync(surrounding.Locator("[data-testid='surrounding-before-count']"));
        older.ShouldBe(10, "the pod logged for minutes before an error line");
        await surrounding.Locator("[data-testid='surrounding-more-before']").ClickAsync();
        await Expect(surrounding.Locator("[data-testid='surrounding-before-count']")).ToHaveTextAsync("20 older");
    });

    [Fact]
    public Task Discover_SavedSearch_IsSavedAndReopensItsState() => WithPageAsync(nameof(Discover_SavedSearch_IsSavedAndReopensItsState), 1440, 1000, async page =>
    {
        var name = $"dev errors {Guid.NewGuid():N}"[..20];
        await OpenAsync(page, "/logs?env=dev&q=level%3Aerror&from=now-1h&to=now&cols=level,log&f=-kubernetes.container_name%3Aistio-proxy", user: "dev");
        await page.Locator("[data-testid='saved-toggle']").ClickAsync();
        await page.Locator("[data-testid='saved-save']").ClickAsync();
        await Expect(page.Locator("[data-testid='saved-name-error']")).ToBeVisibleAsync();

        await page.Locator("[data-testid='saved-name']").FillAsync(name);
        await page.Locator("[data-testid='saved-save']").ClickAsync();
        await Expect(page.Locator($"[data-testid='saved-search'][data-name='{name}']")).ToBeVisibleAsync();

        await OpenAsync(page, "/logs?env=test", user: "dev");
        await page.Locator("[data-testid='saved-toggle']").ClickAsync();
        await page.Locator($"[data-testid='saved-search'][data-name='{name}'] [data-testid='saved-open']").ClickAsync();

        await UrlAsync(page, url => url.Contains("env=dev", StringComparison.Ordinal) && url.Contains("q=level%3Aerror", StringComparison.Ordinal));
        page.Url.ShouldContain("from=now-1h");
        page.Url.ShouldContain("cols=level%2Clog");
        page.Url.ShouldContain("f=-kubernetes.container_name%3Aistio-proxy");
        await Expect(page.Locator("[data-testid='query-input']")).ToHaveValueAsync("level:error");
        await Expect(page.Locator("[data-testid='filter-pill-text']")).ToHaveTextAsync("NOT kubernetes.container_name: istio-proxy");
        await Expect(page.Locator("[data-testid='column-header'][data-field='level']")).ToBeVisibleAsync(new() { Timeout = 20_000 });
    });

    [Fact]
    public Task Discover_SyntaxError_ShowsWhereAndDisablesSearch() => WithPageAsync(nameof(Discover_SyntaxError_ShowsWhereAndDisablesSearch), 1280, 900, async page =>
    {
        await OpenAsync(page, "/logs?env=dev", user: "dev");
        await page.Locator("[data-testid='query-input'][data-shortcut='on']").WaitForAsync();
        await page.Locator("[data-testid='page-logs'] h1").ClickAsync();
        await page.Keyboard.PressAsync("/");
        await Expect(page.Locator("[data-testid='query-input']")).ToBeFocusedAsync();

        await page.Keyboard.TypeAsync("level:error and (status:500");

        await Expect(page.Locator("[data-testid='query-error']")).ToContainTextAsync("Expected ')'");
        await Expect(page.Locator("[data-testid='query-submit']")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-testid='query-error-mark']")).ToHaveAttributeAsync("data-position", "27");
        await page.Keyboard.PressAsync("Enter");
        page.Url.ShouldNotContain("status");

        await page.Keyboard.TypeAsync(")");
        await Expect(page.Locator("[data-testid='query-error']")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid='query-submit']")).ToBeEnabledAsync();
    });

    [Fact]
    public Task Discover_Manager_IsToldWhyThereAreNoLogs() => WithPageAsync(nameof(Discover_Manager_IsToldWhyThereAreNoLogs), 1280, 900, async page =>
    {
        await OpenAsync(page, "/logs", user: "manager");

        await Expect(page.Locator("[data-testid='logs-none']")).ToContainTextAsync("You may not read the logs of any environment");
        (await page.Locator("[data-testid='query-input']").CountAsync()).ShouldBe(0);
        (await page.Locator("[data-testid='log-results']").CountAsync()).ShouldBe(0);
    });

    [Fact]
    public Task Discover_LiveTail_NewLinesArriveOnTop_AndScrollingAwayPauses() => WithPageAsync(nameof(Discover_LiveTail_NewLinesArriveOnTop_AndScrollingAwayPauses), 1440, 1000, async page =>
    {
        await OpenAsync(page, "/logs?env=dev&live=1", user: "dev");
        await WaitForHitsAsync(page);
        await Expect(page.Locator("[data-testid='live-following']")).ToBeVisibleAsync();
        var first = await page.Locator(Rows).First.GetAttributeAsync("data-id");
        var firstTime = await page.Locator($"{Rows} [data-testid='row-time']").First.TextContentAsync();
        await page.EvaluateAsync("() => window.__sameDocument = 7");

        await Expect(page.Locator(Rows).First).Not.ToHaveAttributeAsync("data-id", first!, new() { Timeout = 30_000 });

        var newest = await page.Locator($"{Rows} [data-testid='row-time']").First.TextContentAsync();
        string.CompareOrdinal(newest, firstTime).ShouldBeGreaterThanOrEqualTo(0, "new lines go on top");
        (await page.EvaluateAsync<int>("() => window.__sameDocument")).ShouldBe(7, "the lines came over the circuit, without a reload");

        await page.Locator("[data-testid='logs-results-scroll'][data-watching='on']").EvaluateAsync("el => el.scrollTo({ top: 600 })");
        await Expect(page.Locator("[data-testid='live-paused']")).ToContainTextAsync("new line", new() { Timeout = 20_000 });
        var paused = await page.Locator(Rows).First.GetAttributeAsync("data-id");
        await page.WaitForTimeoutAsync(2_500);
        (await page.Locator(Rows).First.GetAttributeAsync("data-id")).ShouldBe(paused, "paused, the rows stay where the reader is");

        await page.Locator("[data-testid='live-resume']").ClickAsync();
        await Expect(page.Locator("[data-testid='live-following']")).ToBeVisibleAsync();
    });

    [Fact]
    public Task Discover_LoadMore_AppendsTheNextPageOnly() => WithPageAsync(nameof(Discover_LoadMore_AppendsTheNextPageOnly), 1440, 1000, async page =>
    {
        await OpenAsync(page, "/logs?env=dev&from=now-1h&to=now", user: "dev");
        await WaitForHitsAsync(page, atLeast: 250);
        await Expect(page.Locator(Rows)).ToHaveCountAsync(100);
        var firstPage = await page.Locator(Rows).EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");

        await page.Locator("[data-testid='logs-load-more']").ClickAsync();

        await Expect(page.Locator(Rows)).ToHaveCountAsync(200);
        var both = await page.Locator(Rows).EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        both.Take(100).ShouldBe(firstPage);
        both.Distinct().Count().ShouldBe(200);
        var times = await page.Locator($"{Rows} [data-testid='row-time']").AllTextContentsAsync();
        times.ShouldBe([.. times.OrderByDescending(t => t, StringComparer.Ordinal)], "newest first across pages");
    });

    [Fact]
    public Task Discover_DragAcrossTheHistogram_ZoomsToThatRange() => WithPageAsync(nameof(Discover_DragAcrossTheHistogram_ZoomsToThatRange), 1440, 1000, async page =>
    {
        await OpenAsync(page, "/logs?env=dev&from=now-15m&to=now", user: "dev");
        await WaitForHitsAsync(page);
        var plot = page.Locator("[data-testid='histogram-plot'][data-brush='on']");
        await plot.WaitForAsync();
        var box = (await plot.BoundingBoxAsync())!;

        await page.Mouse.MoveAsync(box.X + (box.Width * 0.25f), box.Y + (box.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + (box.Width * 0.5f), box.Y + (box.Height / 2), new() { Steps = 5 });
        await page.Mouse.UpAsync();

        await UrlAsync(page, url => url.Contains("from=20", StringComparison.Ordinal));
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(page.Url).Query);
        var from = DateTimeOffset.Parse(query["from"]!, CultureInfo.InvariantCulture);
        var to = DateTimeOffset.Parse(query["to"]!, CultureInfo.InvariantCulture);
        (to - from).TotalMinutes.ShouldBe(15 * 0.25, tolerance: 0.5);
        await Expect(page.Locator("[data-testid='time-from']")).ToHaveValueAsync(query["from"]!);
        await page.GoBackAsync();
        await UrlAsync(page, url => url.Contains("from=now-15m", StringComparison.Ordinal));
    });

    /// <summary>The store fills from a few seconds after start: search again until at least <paramref name="atLeast"/> hits are found.</summary>
    private static async Task WaitForHitsAsync(IPage page, int atLeast = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var state = page.Locator($"{Rows}, [data-testid='logs-empty'], [data-testid='logs-problem']").First;
            await state.WaitForAsync(new() { Timeout = 20_000 });
            if (await page.Locator(Rows).CountAsync() > 0 && await CountAsync(page.Locator("[data-testid='logs-total']")) >= atLeast)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                var problem = await page.Locator("[data-testid='logs-problem']").AllTextContentsAsync();
                throw new TimeoutException($"Fewer than {atLeast} hits within 90 s. {string.Join(" ", problem)}");
            }

            await page.WaitForTimeoutAsync(2_000);
            await page.Locator("[data-testid='query-submit']").ClickAsync();
        }
    }

    /// <summary>Waits until the address satisfies <paramref name="expected"/>: Blazor changes it with pushState, at its own moment.</summary>
    private static async Task UrlAsync(IPage page, Func<string, bool> expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!expected(page.Url))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The address never became what was expected; it is {page.Url}");
            }

            await page.WaitForTimeoutAsync(100);
        }
    }

    /// <summary>The number a caption starts with ("1,234 hits", "20 older").</summary>
    private static async Task<int> CountAsync(ILocator caption) =>
        int.Parse((await caption.TextContentAsync())!.Trim().Split(' ')[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
}
