using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Core.Logs;
using Portal.Core.Logs.Kql;
using Portal.Logs.Embedded;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// The embedded log store at scale: N Fluent Bit Kubernetes records over the last 7 days (4 environments, 40 pods,
/// levels and HTTP access lines in the sandbox workload's proportions) appended in batches through
/// <see cref="ILogStore.AppendAsync"/>; then one Discover search per run (500 newest hits, of which the first page is
/// the first 100, plus the histogram and the exact total) for five query shapes over the last 24 hours and over all 7
/// days, in one environment and in all four. Baseline: <c>grep -c -i -w error</c> over the same records as NDJSON.
/// </summary>
public static class LogsBenchmark
{
    private const int BatchSize = 1000;
    private const int Runs = 20;
    private const int WarmUps = 2;

    private static readonly string[] Environments = ["dev", "staging", "prod", "perf"];
    private static readonly string[] Services = ["checkout", "payments", "orders", "cart", "search", "inventory", "users", "notifications", "gateway", "catalog"];
    private static readonly string[] Paths = ["/api/orders", "/api/orders/{id}", "/api/payments", "/api/payments/{id}/capture", "/api/cart", "/api/items/{id}", "/healthz", "/api/users/{id}", "/api/search"];
    private static readonly string[] Methods = ["GET", "GET", "GET", "GET", "POST", "PUT", "DELETE"];
    private static readonly string[] Upstreams = ["inventory-api", "payments-db", "orders-db", "redis", "notifications"];

    private static readonly (string Name, string Kql)[] Shapes =
    [
        ("free text", "error"),
        ("field match", "kubernetes.container_name:checkout"),
        ("field match", "level:warn"),
        ("range", "latency_ms >= 1000"),
        ("boolean mix", "(level:error or status >= 500) and not path:\"/healthz\""),
        ("wildcard", "path:/api/pay*"),
    ];

    public static async Task<int> RunAsync(int count)
    {
        using var directory = new TempDirectory("portal-bench-logs");
        var options = new EmbeddedLogOptions { Path = directory.File("logs.db") };
        var store = new EmbeddedLogStore(Options.Create(options), TimeProvider.System);
        var ndjson = directory.File("logs.ndjson");
        var now = DateTimeOffset.UtcNow;
        var report = new StringBuilder();
        report.AppendLine(BenchPortal.Machine());

        var (appendSeconds, generated) = await LoadAsync(store, ndjson, count, now);
        var bytes = await store.SizeAsync(CancellationToken.None);
        report.AppendLine(CultureInfo.InvariantCulture, $"Appended {generated:N0} records in batches of {BatchSize:N0}: {generated / appendSeconds:N0} lines/s through AppendAsync ({appendSeconds:0.0} s)");
        report.AppendLine(CultureInfo.InvariantCulture, $"Store file {bytes / 1048576.0:N0} MiB ({bytes / (double)generated:0} bytes/line); NDJSON {new FileInfo(ndjson).Length / 1048576.0:N0} MiB");
        report.AppendLine("One Discover search = 500 newest hits (the first page is their first 100) + histogram + exact total");
        report.AppendLine("| query | range | hits | one env p50 | p95 | all 4 envs p50 | p95 |");
        report.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        var freeTextAll7d = 0.0;
        foreach (var (name, kql) in Shapes)
        {
            foreach (var (label, span) in new[] { ("24 h", TimeSpan.FromDays(1)), ("7 d", TimeSpan.FromDays(7)) })
            {
                var query = KqlParser.Parse(kql);
                var (one, _) = await MeasureAsync(store, query, now - span, now, [Environments[2]]);
                var (all, total) = await MeasureAsync(store, query, now - span, now, Environments);
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"| {name} `{kql}` | {label} | {total:N0} | {Ms(one, 0.5)} | {Ms(one, 0.95)} | {Ms(all, 0.5)} | {Ms(all, 0.95)} |");
                if (kql == "error" && label == "7 d")
                {
                    freeTextAll7d = BenchPortal.Percentile(all, 0.5);
                }
            }
        }

        var grep = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            grep.Add(await GrepAsync(ndjson));
        }

        var grepP50 = BenchPortal.Percentile(grep, 0.5);
        report.AppendLine(CultureInfo.InvariantCulture, $"grep -c -i -w error over the NDJSON (all 7 days, all environments): p50 {grepP50:0} ms of 5; grep/ours (free text, 7 d, all envs, p50) = {grepP50 / freeTextAll7d:0.0}");

        var pruned = Stopwatch.StartNew();
        var prune = await store.PruneAsync(now.AddDays(-6), options.MaxSizeBytes * 64, CancellationToken.None);
        report.AppendLine(CultureInfo.InvariantCulture, $"Prune of the oldest day by age: {prune.DeletedByAge:N0} lines in {pruned.Elapsed.TotalSeconds:0.0} s; {prune.BytesAfter / 1048576.0:N0} MiB after");
        Console.WriteLine(report);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return 0;
    }

    private static string Ms(List<double> values, double p) => string.Create(CultureInfo.InvariantCulture, $"{BenchPortal.Percentile(values, p):0} ms");

    private static async Task<(List<double> Millis, long Total)> MeasureAsync(EmbeddedLogStore store, KqlNode? query, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string> environments)
    {
        var request = new LogSearchRequest
        {
            Query = query,
            From = from,
            To = to,
            Scopes = [.. environments.Select(e => new LogScope(e, e))],
            Size = 500,
            HistogramInterval = LogHistogram.IntervalFor(from, to),
        };
        var millis = new List<double>();
        var total = 0L;
        for (var i = 0; i < WarmUps + Runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await store.SearchAsync(request, CancellationToken.None);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            total = result.Total;
            if (i >= WarmUps)
            {
                millis.Add(elapsed);
            }
        }

        return (millis, total);
    }

    private static async Task<double> GrepAsync(string file)
    {
        var started = Stopwatch.GetTimestamp();
        using var grep = Process.Start(new ProcessStartInfo("grep", ["-c", "-i", "-w", "error", file]) { RedirectStandardOutput = true })!;
        await grep.StandardOutput.ReadToEndAsync();
        await grep.WaitForExitAsync();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<(double Seconds, long Count)> LoadAsync(EmbeddedLogStore store, string ndjson, int count, DateTimeOffset now)
    {
        var random = new Random(42);
        var pods = Enumerable.Range(0, 40).Select(i => Pod(random, i)).ToList();
        var start = now.AddDays(-7);
        var step = TimeSpan.FromDays(7).Ticks / (double)count;
        await using var file = new StreamWriter(ndjson, append: false, new UTF8Encoding(false));
        var appending = 0.0;
        for (var done = 0; done < count; done += BatchSize)
        {
            var batch = new List<LogRecord>(BatchSize);
            for (var i = done; i < Math.Min(count, done + BatchSize); i++)
            {
                var pod = pods[random.Next(pods.Count)];
                var at = start.AddTicks((long)(i * step) + random.Next(0, 5_000_000));
                var document = Record(random, pod, at > now ? now : at);
                batch.Add(new LogRecord(pod.Environment, at > now ? now : at, document));
            }

            foreach (var record in batch)
            {
                await file.WriteLineAsync(record.Document.ToJsonString());
            }

            var started = Stopwatch.GetTimestamp();
            await store.AppendAsync(batch, CancellationToken.None);
            appending += Stopwatch.GetElapsedTime(started).TotalSeconds;
        }

        return (appending, count);
    }

    private sealed record BenchPod(string Environment, string Service, string Name, string Hash, string Node);

    private static BenchPod Pod(Random random, int i)
    {
        var service = Services[i % Services.Length];
        var hash = Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64()))[..9];
        var suffix = new string([.. Enumerable.Range(0, 5).Select(_ => "bcdfghjklmnpqrstvwxz2456789"[random.Next(27)])]);
        return new BenchPod(Environments[i % Environments.Length], service, $"{service}-{hash}-{suffix}", hash, $"node-{i % 6}");
    }

    /// <summary>A record as Fluent Bit's kubernetes filter and a logfmt parser ship it (SimulatedWorkload's line shapes).</summary>
    private static JsonObject Record(Random random, BenchPod pod, DateTimeOffset at)
    {
        var roll = random.Next(100);
        var method = Methods[random.Next(Methods.Length)];
        var path = Paths[random.Next(Paths.Length)].Replace("{id}", random.Next(1000, 10000).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var latency = random.Next(3, 123) + (roll > 93 ? random.Next(2400) : 0);
        var upstream = Upstreams[random.Next(Upstreams.Length)];
        var document = new JsonObject
        {
            ["@timestamp"] = at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["stream"] = roll >= 90 ? "stderr" : "stdout",
        };
        switch (roll)
        {
            case < 80:
                var status = roll < 76 ? 200 : roll < 78 ? 201 : 404;
                document["log"] = $"level=info msg=\"{method} {path}\" method={method} path={path} status={status} latency_ms={latency} service={pod.Service}";
                document["level"] = "info";
                AddHttp(document, method, path, status, latency);
                break;
            case < 90:
                document["log"] = $"level=debug msg=\"cache {(roll % 2 == 0 ? "hit" : "miss")}\" key={path} service={pod.Service}";
                document["level"] = "debug";
                break;
            case < 97:
                document["log"] = $"level=warn msg=\"slow call to {upstream}\" upstream={upstream} latency_ms={latency + 500} service={pod.Service}";
                document["level"] = "warn";
                document["latency_ms"] = latency + 500;
                document["upstream"] = upstream;
                break;
            default:
                var failed = roll == 99 ? 503 : 500;
                document["log"] = $"level=error msg=\"{method} {path} failed: upstream {upstream} timed out\" method={method} path={path} status={failed} latency_ms={latency + 3000} upstream={upstream} service={pod.Service}";
                document["level"] = "error";
                AddHttp(document, method, path, failed, latency + 3000);
                document["upstream"] = upstream;
                break;
        }

        document["kubernetes"] = new JsonObject
        {
            ["namespace_name"] = pod.Environment,
            ["pod_name"] = pod.Name,
            ["container_name"] = pod.Service,
            ["host"] = pod.Node,
            ["labels"] = new JsonObject { ["app"] = pod.Service, ["pod-template-hash"] = pod.Hash },
        };
        return document;
    }

    private static void AddHttp(JsonObject document, string method, string path, int status, int latency)
    {
        document["method"] = method;
        document["path"] = path;
        document["status"] = status;
        document["latency_ms"] = latency;
    }
}
