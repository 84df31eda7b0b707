using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Portal.Kubernetes.Connection;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// Requests per second of the public API at increasing concurrency, with a personal access token: the pods of a
/// 500-pod environment and a Discover search (KQL, 24 hours, histogram) over the embedded log store fed with a day of
/// lines, against <c>/healthz</c> and <c>GET /api/v1/environments</c> as baselines in the same run.
/// </summary>
public static class ApiBenchmark
{
    private const int Pods = 500;
    private const int LogLines = 100_000;
    private const double TargetP95Ms = 200;

    public static async Task<int> RunAsync(string[] args)
    {
        var levels = new List<int> { 1, 2, 4, 8, 16, 32, 64 };
        var seconds = 5;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds")
            {
                seconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                levels = [.. args[i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
            }
        }

        await using var portal = await BenchPortal.StartAsync("bench-api");
        {
            var connection = KubeconfigLoader.Load(Path.Combine(portal.DataDirectory, "sandbox", "kubeconfig"));
            using var kubeHttp = ClusterHttp.CreateClient(connection, new ExecCredentialProvider(TimeProvider.System));
            await ScaleEnvironment.PrepareAsync(kubeHttp, portal.BaseUrl, portal.Token, Pods);
        }

        var ingested = await IngestAsync(portal);
        using var http = ScaleEnvironment.Api(portal.BaseUrl, portal.Token);
        var search = $$"""{"query":"level:error or status >= 500","from":"now-24h","to":"now","environment":"{{ScaleEnvironment.Name}}","size":100,"histogram":true}""";
        var endpoints = new (string Label, Func<HttpRequestMessage> Request)[]
        {
            ("GET /healthz (baseline)", () => new HttpRequestMessage(HttpMethod.Get, "/healthz")),
            ("GET /api/v1/environments (baseline)", () => new HttpRequestMessage(HttpMethod.Get, "/api/v1/environments")),
            ($"GET /api/v1/environments/{ScaleEnvironment.Name}/pods ({Pods} pods)", () => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/environments/{ScaleEnvironment.Name}/pods")),
            ("POST /api/v1/logs/search (level:error or status >= 500, 24 h, histogram)", () => new HttpRequestMessage(HttpMethod.Post, "/api/v1/logs/search")
            {
                Content = new StringContent(search, Encoding.UTF8, "application/json"),
            }),
        };

        var report = new StringBuilder();
        report.AppendLine(BenchPortal.Machine());
        report.AppendLine(CultureInfo.InvariantCulture, $"One portal process (embedded defaults, SQLite), personal access token; {ingested:N0} log lines of the last 24 h ingested for {ScaleEnvironment.Name} besides what the sandbox's pods ship; {seconds} s per level");
        foreach (var (label, request) in endpoints)
        {
            for (var w = 0; w < 20; w++)
            {
                using var warm = await http.SendAsync(request());
                warm.EnsureSuccessStatusCode();
            }

            var best = "none";
            foreach (var concurrency in levels)
            {
                var (rps, latencies, errors) = await LoadAsync(http, request, concurrency, TimeSpan.FromSeconds(seconds));
                var p95 = BenchPortal.Percentile(latencies, 0.95);
                var line = string.Create(CultureInfo.InvariantCulture, $"{label}, {concurrency} concurrent: {rps:0} req/s, {BenchPortal.P50P95(latencies)}, {errors} errors");
                report.AppendLine(line);
                Console.Error.WriteLine(line);
                if (p95 < TargetP95Ms && errors == 0)
                {
                    best = string.Create(CultureInfo.InvariantCulture, $"{rps:0} req/s at {concurrency} concurrent (p95 {p95:0} ms)");
                }
            }

            report.AppendLine(CultureInfo.InvariantCulture, $"=> {label}: highest with p95 < {TargetP95Ms} ms: {best}");
        }

        Console.WriteLine(report);
        return 0;
    }

    private static async Task<(double Rps, List<double> Latencies, int Errors)> LoadAsync(HttpClient http, Func<HttpRequestMessage> request, int concurrency, TimeSpan duration)
    {
        var latencies = new List<double>();
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                using var message = request();
                using var response = await http.SendAsync(message);
                await response.Content.LoadIntoBufferAsync();
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        })).ToList();
        await Task.WhenAll(workers);
        return (latencies.Count / clock.Elapsed.TotalSeconds, latencies, errors);
    }

    /// <summary>A day of HTTP access lines of one service in the scale environment, through <c>/ingest/_bulk</c>.</summary>
    private static async Task<int> IngestAsync(BenchPortal portal)
    {
        var created = await PortalProcess.RunAsync(["tokens", "create", "--ingest", "--name", "bench-ingest"], portal.Environment);
        using var http = new HttpClient { BaseAddress = new Uri(portal.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Stdout.Trim().Split('\n')[^1].Trim());
        var now = DateTimeOffset.UtcNow;
        var step = TimeSpan.FromDays(1) / LogLines;
        string[] levels = ["info", "info", "info", "info", "info", "info", "debug", "debug", "warn", "error"];
        for (var batch = 0; batch < LogLines; batch += 1000)
        {
            var body = new StringBuilder();
            for (var i = batch; i < batch + 1000; i++)
            {
                var level = levels[i % levels.Length];
                var status = level == "error" ? 500 + (i % 4) : i % 50 == 0 ? 404 : 200;
                var path = $"/api/orders/{1000 + (i % 9000)}";
                body.Append("{\"index\":{}}\n").Append(new JsonObject
                {
                    ["@timestamp"] = (now - (step * i)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                    ["log"] = $"level={level} msg=\"GET {path}\" status={status} latency_ms={3 + (i * 37 % 900)}",
                    ["level"] = level,
                    ["method"] = "GET",
                    ["path"] = path,
                    ["status"] = status,
                    ["latency_ms"] = 3 + (i * 37 % 900),
                    ["kubernetes"] = new JsonObject
                    {
                        ["namespace_name"] = ScaleEnvironment.Name,
                        ["pod_name"] = $"bulk-{i % 500}",
                        ["container_name"] = "bulk",
                    },
                }.ToJsonString()).Append('\n');
            }

            using var response = await http.PostAsync(new Uri("/ingest/_bulk", UriKind.Relative), new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson"));
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || text.Contains("\"errors\":true", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"_bulk failed: {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}");
            }
        }

        return LogLines;
    }
}
