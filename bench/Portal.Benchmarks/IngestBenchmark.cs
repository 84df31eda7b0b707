using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Core.Logs;
using Portal.Logs.Embedded;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// Lines per second through <c>/ingest/_bulk</c> of the real portal (HTTP, NDJSON parsing, environment assignment,
/// the store), against the same documents appended straight to an embedded store in-process (the baseline).
/// </summary>
public static class IngestBenchmark
{
    private const int BatchSize = 1_000;
    private static readonly string[] Environments = ["dev", "test", "staging", "prod"];
    private static readonly string[] Levels = ["info", "info", "info", "info", "debug", "warn", "error"];

    public static async Task<int> RunAsync(int lines)
    {
        var now = DateTimeOffset.UtcNow;
        var batches = Enumerable.Range(0, (lines + BatchSize - 1) / BatchSize)
            .Select(b => Enumerable.Range(b * BatchSize, Math.Min(BatchSize, lines - (b * BatchSize))).Select(i => Document(i, now)).ToList())
            .ToList();

        // Baseline: the store alone, same batches.
        using var dir = new TempDirectory("bench-ingest");
        var store = new EmbeddedLogStore(Options.Create(new EmbeddedLogOptions { Path = Path.Combine(dir.Path, "logs.db") }), TimeProvider.System);
        var direct = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await store.AppendAsync([.. batch.Select(d => new LogRecord(d.Environment, d.At, JsonNode.Parse(d.Json)!.AsObject()))], CancellationToken.None);
        }

        direct.Stop();

        await using var portal = await BenchPortal.StartAsync("bench-ingest-portal", new Dictionary<string, string> { ["Kubernetes__Sandbox__Enabled"] = "false" });
        var created = await PortalProcess.RunAsync(["tokens", "create", "--ingest", "--name", "bench"], portal.Environment);
        var token = created.Stdout.Trim().Split('\n')[^1].Trim();
        using var http = new HttpClient { BaseAddress = new Uri(portal.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var bodies = batches.Select(b => string.Concat(b.Select(d => "{\"index\":{}}\n" + d.Json + "\n"))).ToList();
        var viaHttp = Stopwatch.StartNew();
        foreach (var body in bodies)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/x-ndjson");
            using var response = await http.PostAsync(new Uri("/ingest/_bulk", UriKind.Relative), content);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || text.Contains("\"errors\":true", StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"_bulk failed: {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}");
                return 1;
            }
        }

        viaHttp.Stop();
        var httpRate = lines / viaHttp.Elapsed.TotalSeconds;
        var directRate = lines / direct.Elapsed.TotalSeconds;
        Console.WriteLine(BenchPortal.Machine());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{lines:N0} lines in batches of {BatchSize:N0} ({bodies.Sum(b => (long)b.Length) / 1e6:F0} MB of NDJSON), one shipper connection"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"POST /ingest/_bulk:        {httpRate:N0} lines/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"AppendAsync (baseline):    {directRate:N0} lines/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio _bulk / baseline:    {httpRate / directRate:F2}"));
        return 0;
    }

    /// <summary>A Fluent Bit Kubernetes record of an HTTP service, as the sandbox's pods ship them.</summary>
    private static (string Environment, DateTimeOffset At, string Json) Document(int i, DateTimeOffset now)
    {
        var env = Environments[i % Environments.Length];
        var at = now.AddMilliseconds(-(i * 7L));
        var level = Levels[i % Levels.Length];
        var status = level == "error" ? 500 + (i % 4) : 200;
        var latency = 3 + (i * 37 % 900);
        var path = $"/api/orders/{1000 + (i % 9000)}";
        var json = new JsonObject
        {
            ["@timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["log"] = $"level={level} msg=\"GET {path}\" method=GET path={path} status={status} latency_ms={latency} service=orders-api",
            ["level"] = level,
            ["method"] = "GET",
            ["path"] = path,
            ["status"] = status,
            ["latency_ms"] = latency,
            ["kubernetes"] = new JsonObject
            {
                ["namespace_name"] = env,
                ["pod_name"] = $"orders-api-7f9c{i % 5}-x{i % 3}",
                ["container_name"] = "orders-api",
                ["labels"] = new JsonObject { ["app"] = "orders-api" },
            },
        }.ToJsonString();
        return (env, at, json);
    }
}
