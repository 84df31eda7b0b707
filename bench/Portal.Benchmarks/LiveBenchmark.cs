using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Portal.Kubernetes.Connection;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// The real portal (Release build, embedded defaults) in Debian's Chromium: (1) from a pod change in the sandbox to
/// the row in an open tab, against a raw watch of the same cluster as baseline; (2) first render of a 10,000-pod
/// view against an 8-pod one; (3) server memory per open pods view against an Overview tab.
/// </summary>
public static class LiveBenchmark
{
    private const string Chromium = "/usr/bin/chromium";
    private const int BulkPods = 10_000;

    public static async Task<int> RunAsync(int samples)
    {
        await using var portal = await BenchPortal.StartAsync("portal-bench");
        var baseUrl = portal.BaseUrl;
        var token = portal.Token;
        {
            var connection = KubeconfigLoader.Load(Path.Combine(portal.DataDirectory, "sandbox", "kubeconfig"));
            using var kubeHttp = ClusterHttp.CreateClient(connection, new ExecCredentialProvider(TimeProvider.System));
            var kube = new KubernetesRestClient(kubeHttp);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
            await using var context = await browser.NewContextAsync(new() { BaseURL = baseUrl, ViewportSize = new() { Width = 1440, Height = 1000 } });
            context.SetDefaultTimeout(120_000);
            await SignInAsync(await context.NewPageAsync());

            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"{BenchPortal.Machine()}, Chromium at {Chromium}");
            await LatencyAsync(context, kube, samples, report);
            // 10,000 pods in an environment "bench" (the pages below open it).
            await ScaleEnvironment.PrepareAsync(kubeHttp, baseUrl, token, BulkPods, "bench", TimeSpan.FromMinutes(15));
            await FirstRenderAsync(context, report);
            await MemoryAsync(context, portal.ProcessId, report);
            Console.WriteLine(report);
            return 0;
        }
    }

    private static async Task LatencyAsync(IBrowserContext context, KubernetesRestClient kube, int samples, StringBuilder report)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/environments/dev/workloads");
        await page.Locator("[data-testid='pod-row']").First.WaitForAsync();

        var seen = new ConcurrentDictionary<string, long>();
        var (_, version) = await kube.ListWithVersionAsync(ResourcePath.Pods("dev"), KubernetesJson.Default.KubeListPod, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var watch = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in kube.WatchAsync(ResourcePath.Pods("dev"), KubernetesJson.Default.Pod, version, ct: stop.Token))
                {
                    if (e.Type == "ADDED" && e.Object?.Metadata.Name is { } name)
                    {
                        seen.TryAdd(name, Stopwatch.GetTimestamp());
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var browserMs = new List<double>();
        var watchMs = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            // A pause first, so each sample is one change arriving at a quiet page (the view renders a lone change at
            // once; under a stream of changes it renders at most every 200 ms, which bounds the latency instead).
            await Task.Delay(500);
            var name = $"bench-{i}";
            var manifest = $$$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{{name}}}}","namespace":"dev"},"spec":{"containers":[{"name":"c","image":"registry.portal.test/bench:1","resources":{"requests":{"cpu":"1m","memory":"1Mi"}}}]}}""";
            var start = Stopwatch.GetTimestamp();
            await kube.ApplyAsync(ResourcePath.Pods("dev"), name, manifest, KubernetesJson.Default.Pod);
            await page.Locator($"[data-pod='{name}']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            browserMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            while (!seen.ContainsKey(name))
            {
                await Task.Delay(1);
            }

            watchMs.Add(Stopwatch.GetElapsedTime(start, seen[name]).TotalMilliseconds);
            await kube.DeleteAsync(ResourcePath.Pods("dev"), name, gracePeriodSeconds: 0);
            await page.Locator($"[data-pod='{name}']").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        }

        await stop.CancelAsync();
        await watch;
        await page.CloseAsync();
        report.AppendLine(CultureInfo.InvariantCulture, $"Pod change to open tab ({samples} pods created): browser p50 {BenchPortal.Percentile(browserMs, 0.5):0.0} ms, p95 {BenchPortal.Percentile(browserMs, 0.95):0.0} ms; raw watch (baseline) p50 {BenchPortal.Percentile(watchMs, 0.5):0.0} ms, p95 {BenchPortal.Percentile(watchMs, 0.95):0.0} ms; ratio p50 {BenchPortal.Percentile(browserMs, 0.5) / BenchPortal.Percentile(watchMs, 0.5):0.0}x");
    }

    private static async Task FirstRenderAsync(IBrowserContext context, StringBuilder report)
    {
        async Task<double> Once(string env, string expected)
        {
            var page = await context.NewPageAsync();
            var start = Stopwatch.GetTimestamp();
            await page.GotoAsync($"/environments/{env}/workloads");
            await page.Locator("[data-testid='pods-count']", new() { HasTextString = expected }).WaitForAsync();
            await page.Locator("[data-testid='pod-row']").First.WaitForAsync();
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            await page.CloseAsync();
            return elapsed;
        }

        var devPods = 0;
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/environments/dev/workloads");
            await page.Locator("[data-testid='pods-count']", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^\\d+ of \\d+ pods$") }).WaitForAsync();
            devPods = int.Parse((await page.Locator("[data-testid='pods-count']").TextContentAsync())!.Split(' ')[0], CultureInfo.InvariantCulture);
            await page.CloseAsync();
        }

        var small = new List<double>();
        var big = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            small.Add(await Once("dev", $"{devPods} of {devPods} pods"));
            big.Add(await Once("bench", $"{BulkPods} of {BulkPods} pods"));
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"First render of the pods view (navigation to rows shown, median of 5): {BulkPods} pods {BenchPortal.Percentile(big, 0.5):0} ms; {devPods} pods (baseline) {BenchPortal.Percentile(small, 0.5):0} ms; ratio {BenchPortal.Percentile(big, 0.5) / BenchPortal.Percentile(small, 0.5):0.0}x");
    }

    private static async Task MemoryAsync(IBrowserContext context, int pid, StringBuilder report)
    {
        const int views = 20;
        async Task<double> PerView(string path, Func<IPage, Task> ready)
        {
            await Task.Delay(3000);
            var before = ManagedHeap.AfterFullCollection(pid);
            var pages = new List<IPage>();
            for (var i = 0; i < views; i++)
            {
                var page = await context.NewPageAsync();
                await page.GotoAsync(path);
                await ready(page);
                pages.Add(page);
            }

            await Task.Delay(3000);
            var after = ManagedHeap.AfterFullCollection(pid);
            foreach (var page in pages)
            {
                await page.CloseAsync();
            }

            return (after - before) / (double)(1 << 20) / views;
        }

        var overview = await PerView("/", p => p.Locator(".portal-shell[data-interactive='true']").WaitForAsync());
        var pods = await PerView("/environments/bench/workloads", p => p.Locator("[data-testid='pods-count']", new() { HasTextString = $"{BulkPods} of {BulkPods} pods" }).WaitForAsync());
        report.AppendLine(CultureInfo.InvariantCulture, $"Server memory per open view (managed heap after a full GC, growth over {views} tabs): {BulkPods}-pod view {pods:0.00} MiB; Overview tab (baseline) {overview:0.00} MiB; ratio {pods / overview:0.0}x");
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/account/login");
        await page.Locator("#username").FillAsync("admin");
        await page.Locator("#password").FillAsync("portal-demo");
        await page.Locator("#password").PressAsync("Enter");
        await page.Locator(".portal-shell[data-interactive='true']").WaitForAsync();
        await page.CloseAsync();
    }
}
