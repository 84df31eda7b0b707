using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Core.Costs;
using Portal.Infrastructure;

namespace Portal.Benchmarks;

/// <summary>
/// What a manager waits for at scale: the real portal (embedded SQLite) with <c>days</c> of hourly cost history for
/// 200 pods in 20 namespaces of its cluster (the demo's four environments hold 10 each), recorded through the same
/// store and sampler the job uses. Then the status overview, the organisation's month, one environment's month and
/// one explanation, against listing environments in the same run (the baseline).
/// </summary>
public static class CostsBenchmark
{
    private const int Namespaces = 20;
    private const int PodsPerNamespace = 10;
    private const int Requests = 40;

    public static async Task<int> RunAsync(int days)
    {
        await using var portal = await BenchPortal.StartAsync("bench-costs");
        using var http = new HttpClient { BaseAddress = new Uri(portal.BaseUrl), Timeout = TimeSpan.FromSeconds(120) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", portal.Token);

        var environments = (await http.GetFromJsonAsync<JsonElement>("/api/v1/environments"))
            .EnumerateArray().Select(e => (Name: e.GetProperty("name").GetString()!, Cluster: e.GetProperty("cluster").GetString()!, Namespace: e.GetProperty("namespace").GetString()!))
            .ToList();
        var cluster = environments[0].Cluster;
        var namespaces = environments.Where(e => e.Cluster == cluster).Select(e => e.Namespace)
            .Concat(Enumerable.Range(0, Namespaces).Select(i => $"bench-{i:00}")).Distinct().Take(Namespaces).ToList();

        var seeding = Stopwatch.StartNew();
        var (slots, records) = await SeedAsync(portal.DataDirectory, cluster, namespaces, environments.Select(e => e.Namespace).ToHashSet(), days);
        seeding.Stop();
        Console.Error.WriteLine($"seeded {slots} hourly samples, {records:N0} records, in {seeding.Elapsed.TotalSeconds:F1} s");

        var dev = environments.First(e => namespaces.Contains(e.Namespace)).Name;
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var calls = new (string Name, string Path)[]
        {
            ("environments (baseline)", "/api/v1/environments"),
            ("status overview", "/api/v1/status"),
            ("organisation, this month", "/api/v1/costs?groupBy=environment"),
            ($"{dev}, this month", $"/api/v1/environments/{dev}/costs"),
            ($"{dev}, explain one day", $"/api/v1/environments/{dev}/costs/explain?from={yesterday}&to={today}"),
        };

        // The first read of each, in this order, right after seeding: the sums are not cached yet (a new slot does the
        // same to the cache every five minutes, but then the sampling job reads the month before anyone asks).
        var first = new List<double>();
        foreach (var (_, path) in calls)
        {
            var watch = Stopwatch.StartNew();
            (await http.GetAsync(new Uri(path, UriKind.Relative))).EnsureSuccessStatusCode();
            first.Add(watch.Elapsed.TotalMilliseconds);
        }

        var results = new List<(string Name, double First, double P50, double P95)>();
        foreach (var (index, (name, path)) in calls.Index())
        {
            var times = new List<double>();
            for (var i = 0; i < Requests; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            results.Add((name, first[index], times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.95) - 1]));
        }

        var baseline = results[0].P50;
        Console.WriteLine($"| {days} days × {Namespaces * PodsPerNamespace} pods ({records:N0} hourly records) | first read ms | p50 ms | p95 ms | p50 / baseline |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (name, firstRead, p50, p95) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {firstRead:F0} | {p50:F1} | {p95:F1} | {p50 / baseline:F1} |"));
        }

        return 0;
    }

    /// <summary>Hourly samples (one slot per hour) of a steady cluster, through CostSampler and the real store, ending an hour ago.</summary>
    private static async Task<(int Slots, long Records)> SeedAsync(string dataDirectory, string cluster, IReadOnlyList<string> namespaces, IReadOnlySet<string> environmentNamespaces, int days)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Data:Directory"] = dataDirectory;
        builder.AddPortalDatabase();
        using var host = builder.Build();
        var store = host.Services.GetRequiredService<ICostStore>();
        var prices = new CostsOptions().PricesFor(cluster);
        var nodes = Enumerable.Range(0, 12).Select(i => new NodeSnapshot($"node-{i}", "m5.xlarge", 4, 16)).ToList();
        var pods = namespaces.SelectMany((ns, n) => Enumerable.Range(0, PodsPerNamespace).Select(p =>
            new PodSnapshot(ns, $"svc{p % 5}-{n}-{p}", $"svc{p % 5}", $"node-{(n * PodsPerNamespace + p) % 12}", 0.1 + (p % 3) * 0.1, 0.25, 0.05 + (p % 4) * 0.05, 0.2))).ToList();
        var volumes = namespaces.Select(ns => new VolumeSnapshot(ns, "data", 20)).ToList();

        var end = new DateTimeOffset(DateTime.UtcNow.Date.AddHours(DateTime.UtcNow.Hour - 1), TimeSpan.Zero);
        var start = end.AddDays(-days);
        var slots = 0;
        long records = 0;
        for (var hour = start; hour < end; hour = hour.AddHours(1))
        {
            var snapshot = new ClusterCostSnapshot(cluster, hour, UsageSource.MetricsApi, nodes, pods, volumes, []);
            var sample = CostSampler.Sample(snapshot, prices, hour, TimeSpan.FromHours(1), environmentNamespaces.ToHashSet());
            if (await store.RecordSampleAsync(new CostSlot(cluster, hour, TimeSpan.FromHours(1), UsageSource.MetricsApi, hour.AddHours(1)), sample, CancellationToken.None))
            {
                slots++;
                records += sample.Count;
            }
        }

        return (slots, records);
    }
}
