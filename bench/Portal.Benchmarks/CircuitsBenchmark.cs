using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Portal.Kubernetes.Connection;
using Portal.Kubernetes.Rest;

namespace Portal.Benchmarks;

/// <summary>
/// How many Blazor Server circuits with the pods view of a 500-pod environment one portal process (or two on
/// PostgreSQL) holds while the sandbox changes pods at a steady rate: circuits are opened in steps, each a real
/// SignalR/blazorpack client (<see cref="BlazorCircuit"/>); per step, the time from each pod's creation request to the
/// render batch that carries its name, in every circuit, plus the server's managed heap and RSS per circuit.
/// </summary>
public static class CircuitsBenchmark
{
    private const int Pods = 500;
    private const double TargetP95Ms = 500;
    private static readonly string ViewPath = $"/environments/{ScaleEnvironment.Name}/workloads";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args);
        var portals = new List<BenchPortal>();
        var circuits = new List<(BlazorCircuit Circuit, Dictionary<int, long> Seen)>();
        try
        {
            var database = options.Postgres is { } pg
                ? new Dictionary<string, string> { ["Database__Provider"] = "PostgreSql", ["Database__ConnectionString"] = pg }
                : [];
            portals.Add(await BenchPortal.StartAsync("bench-circuits-a", database));
            var kubeconfig = Path.Combine(portals[0].DataDirectory, "sandbox", "kubeconfig");
            var connection = KubeconfigLoader.Load(kubeconfig);
            using var kubeHttp = ClusterHttp.CreateClient(connection, new ExecCredentialProvider(TimeProvider.System));
            var kube = new KubernetesRestClient(kubeHttp);
            await ScaleEnvironment.PrepareAsync(kubeHttp, portals[0].BaseUrl, portals[0].Token, Pods);
            if (options.Postgres is not null)
            {
                // The second replica hosts no sandbox: it manages the first one's cluster through its kubeconfig, under the same name.
                portals.Add(await BenchPortal.StartAsync("bench-circuits-b", new Dictionary<string, string>(database)
                {
                    ["Kubernetes__Sandbox__Enabled"] = "false",
                    ["Kubernetes__Clusters__sandbox__Kubeconfig"] = kubeconfig,
                }));
                await ScaleEnvironment.WaitRunningAsync(portals[1].BaseUrl, portals[1].Token, Pods);
            }

            var churn = new PodChurn(kube, ScaleEnvironment.Name);
            await churn.FillAsync();
            var cookies = new List<CookieContainer>();
            foreach (var portal in portals)
            {
                cookies.Add(await ScaleEnvironment.SignInAsync(portal.BaseUrl));
            }

            var report = new StringBuilder();
            report.AppendLine(BenchPortal.Machine());
            report.AppendLine(CultureInfo.InvariantCulture, $"{portals.Count} portal process(es), {(options.Postgres is null ? "SQLite" : "PostgreSQL")}; view {ViewPath} ({Pods} pods + {PodChurn.Standing} churn pods); {options.Rate} pod changes/s (half creations, half deletions) for {options.Seconds} s per step");
            var baseline = await SettledMemoryAsync(portals);
            report.AppendLine(CultureInfo.InvariantCulture, $"0 circuits: heap {Mib(baseline.Heap)} MiB, RSS {Mib(baseline.Rss)} MiB (all processes)");
            Console.Error.WriteLine(report);

            // Warm-up, not measured: one circuit per process through 5 s of churn, so that no step times the JIT.
            await OpenAsync(portals, cookies, circuits, portals.Count);
            await churn.RunAsync(TimeSpan.FromSeconds(5), options.Rate);
            await Task.Delay(2000);
            foreach (var (_, seen) in circuits)
            {
                lock (seen)
                {
                    seen.Clear();
                }
            }

            var misses = 0;
            var previous = (Count: 0, Memory: baseline);
            foreach (var target in options.Steps)
            {
                var opening = Stopwatch.StartNew();
                var before = circuits.Count;
                var openFailures = await OpenAsync(portals, cookies, circuits, target);
                var openSeconds = opening.Elapsed.TotalSeconds;
                var firstRender = circuits.Skip(before).Select(c => c.Circuit.FirstRender.TotalMilliseconds).DefaultIfEmpty(0).ToList();
                var memory = await SettledMemoryAsync(portals);

                // Per circuit as the growth since the previous step: the first view of an environment also pays for
                // the shared pod cache's lease and the JIT, which later circuits do not.
                var added = Math.Max(1, circuits.Count - previous.Count);
                var perCircuitHeap = (memory.Heap - previous.Memory.Heap) / (double)added;
                var perCircuitRss = (memory.Rss - previous.Memory.Rss) / (double)added;
                previous = (circuits.Count, memory);
                var p95 = await MeasureAsync(churn, options, circuits, report,
                    string.Create(CultureInfo.InvariantCulture, $"{circuits.Count} circuits ({circuits.Count - before} opened in {openSeconds:0.0} s, {openFailures} failed to open; their first render {BenchPortal.P50P95(firstRender)}; per added circuit: heap {perCircuitHeap / (1 << 20):0.00} MiB, RSS {perCircuitRss / (1 << 20):0.00} MiB; total heap {Mib(memory.Heap)} MiB, RSS {Mib(memory.Rss)} MiB)"));
                var failed = circuits.Count(c => c.Circuit.Failure is not null) + openFailures;
                misses = p95 > TargetP95Ms || failed > 0 ? misses + 1 : 0;
                if (misses == 2)
                {
                    break; // two misses in a row: past the capacity, and the second shows how it degrades
                }
            }

            Console.WriteLine(report);
            return 0;
        }
        finally
        {
            foreach (var (circuit, _) in circuits)
            {
                await circuit.DisposeAsync();
            }

            foreach (var portal in portals)
            {
                await portal.DisposeAsync();
            }
        }
    }

    private static async Task<int> OpenAsync(List<BenchPortal> portals, List<CookieContainer> cookies, List<(BlazorCircuit, Dictionary<int, long>)> circuits, int target)
    {
        var failures = 0;
        using var gate = new SemaphoreSlim(8);
        var opening = new List<Task>();
        for (var i = circuits.Count; i < target; i++)
        {
            var index = i % portals.Count;
            await gate.WaitAsync();
            opening.Add(Task.Run(async () =>
            {
                try
                {
                    var seen = new Dictionary<int, long>();
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
                    var circuit = await BlazorCircuit.OpenAsync(new Uri(portals[index].BaseUrl + "/"), ViewPath, cookies[index], timeout.Token);
                    circuit.OnBatch = (bytes, at) =>
                    {
                        lock (seen)
                        {
                            PodChurn.FindAll(bytes.Span, sequence => seen.TryAdd(sequence, at));
                        }
                    };
                    lock (circuits)
                    {
                        circuits.Add((circuit, seen));
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Interlocked.Increment(ref failures);
                    Console.Error.WriteLine($"circuit {i} failed to open: {e.GetType().Name}: {e.Message}");
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(opening);
        return failures;
    }

    /// <summary>One churn window: every circuit's latency for every pod created, p50/p95 over all of them; returns p95 (ms).</summary>
    private static async Task<double> MeasureAsync(PodChurn churn, Options options, List<(BlazorCircuit Circuit, Dictionary<int, long> Seen)> circuits, StringBuilder report, string label)
    {
        var errors = 0;
        var failedBefore = circuits.Count(c => c.Circuit.Failure is not null);
        var created = await churn.RunAsync(TimeSpan.FromSeconds(options.Seconds), options.Rate, _ => Interlocked.Increment(ref errors));
        await Task.Delay(3000); // grace for the last changes' renders
        var latencies = new List<double>();
        var missing = 0;
        foreach (var (circuit, seen) in circuits.Where(c => c.Circuit.Failure is null))
        {
            lock (seen)
            {
                foreach (var (sequence, start) in created)
                {
                    if (seen.TryGetValue(sequence, out var at))
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(start, at).TotalMilliseconds);
                    }
                    else
                    {
                        missing++;
                        latencies.Add(double.PositiveInfinity);
                    }
                }

                seen.Clear();
            }
        }

        var failed = circuits.Count(c => c.Circuit.Failure is not null) - failedBefore;
        var reasons = circuits.Where(c => c.Circuit.Failure is not null).GroupBy(c => c.Circuit.Failure).Select(g => $"{g.Count()}x {g.Key}").Take(3);
        var p50 = latencies.Count == 0 ? 0 : BenchPortal.Percentile(latencies, 0.5);
        var p95 = latencies.Count == 0 ? 0 : BenchPortal.Percentile(latencies, 0.95);
        var max = latencies.Count == 0 ? 0 : latencies.Max();
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{label}: {created.Count} pods created ({errors} API errors); change -> render batch p50 {p50:0} ms, p95 {p95:0} ms, max {max:0} ms over {latencies.Count} (pod, circuit) pairs, {missing} never seen; circuits lost in the window: {failed}{(failed > 0 ? " (" + string.Join("; ", reasons) + ")" : "")}");
        report.AppendLine(line);
        Console.Error.WriteLine(line);
        return p95;
    }

    private static async Task<(long Heap, long Rss)> SettledMemoryAsync(List<BenchPortal> portals)
    {
        await Task.Delay(2000);
        long heap = 0, rss = 0;
        foreach (var portal in portals)
        {
            heap += ManagedHeap.AfterFullCollection(portal.ProcessId);
            rss += ScaleEnvironment.Rss(portal.ProcessId);
        }

        return (heap, rss);
    }

    private static string Mib(long bytes) => (bytes / (double)(1 << 20)).ToString("0", CultureInfo.InvariantCulture);

    private sealed record Options(IReadOnlyList<int> Steps, string? Postgres, int Rate, int Seconds)
    {
        public static Options Parse(string[] args)
        {
            var steps = new List<int> { 1, 10, 25, 50, 100, 150, 200, 300 };
            string? postgres = null;
            var rate = 50;
            var seconds = 15;
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--postgres":
                        postgres = args[++i];
                        break;
                    case "--rate":
                        rate = int.Parse(args[++i], CultureInfo.InvariantCulture);
                        break;
                    case "--seconds":
                        seconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                        break;
                    default:
                        steps = [.. args[i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                        break;
                }
            }

            return new Options(steps, postgres, rate, seconds);
        }
    }
}
