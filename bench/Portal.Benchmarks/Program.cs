using BenchmarkDotNet.Running;
using Portal.Benchmarks;

// dotnet run -c Release --project bench/Portal.Benchmarks -- render       (BenchmarkDotNet: server-side render of the pods view)
// dotnet run -c Release --project bench/Portal.Benchmarks -- live [N]     (the real portal in Chromium: latency, memory, 10,000 pods)
// dotnet run -c Release --project bench/Portal.Benchmarks -- jobs [N]     (the job engine: provisioning jobs per minute, submit -> first step)
// dotnet run -c Release --project bench/Portal.Benchmarks -- deploys [N]  (deployments: N services at once, POST -> rollout succeeded; preview)
// dotnet run -c Release --project bench/Portal.Benchmarks -- logs [N]     (the embedded log store: N lines, Discover searches p50/p95, grep)
// dotnet run -c Release --project bench/Portal.Benchmarks -- ingest [N]   (lines/s through /ingest/_bulk against appending to the store directly)
// dotnet run -c Release --project bench/Portal.Benchmarks -- alarms [N]   (bad deploy -> ALARM on the board against the alarm's minimum; board latency)
// dotnet run -c Release --project bench/Portal.Benchmarks -- costs [D]    (D days of hourly cost history for 200 pods: status, month and explain latency)
// dotnet run -c Release --project bench/Portal.Benchmarks -- circuits [1,10,25,...] [--postgres CONN] [--rate 50] [--seconds 15]
//                                                                          (Blazor circuits on a 500-pod pods view under pod churn: change -> render p50/p95, memory per circuit)
// dotnet run -c Release --project bench/Portal.Benchmarks -- api [1,2,4,...] [--seconds 5]
//                                                                          (RPS and p50/p95 of the pods and log search APIs at increasing concurrency, /healthz baseline)
return args.FirstOrDefault() switch
{
    "render" => RunRender(args[1..]),
    "live" => await LiveBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40),
    "jobs" => await JobsBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40),
    "deploys" => await DeploysBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20),
    "ingest" => await IngestBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000),
    "alarms" => await AlarmsBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1),
    "costs" => await CostsBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60),
    "logs" => await LogsBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000),
    "circuits" => await CircuitsBenchmark.RunAsync(args[1..]),
    "api" => await ApiBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int RunRender(string[] rest)
{
    BenchmarkRunner.Run<PodsViewRenderBenchmarks>(args: rest);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: Portal.Benchmarks render | live [samples] | jobs [count] | deploys [count] | logs [lines] | ingest [lines] | alarms [rounds] | costs [days] | circuits [steps] [--postgres conn] | api [concurrencies]");
    return 2;
}
