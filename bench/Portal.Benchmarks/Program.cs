using BenchmarkDotNet.Running;
using Portal.Benchmarks;

// dotnet run -c Release --project bench/Portal.Benchmarks -- render       (BenchmarkDotNet: server-side render of the pods view)
// dotnet run -c Release --project bench/Portal.Benchmarks -- live [N]     (the real portal in Chromium: latency, memory, 10,000 pods)
// dotnet run -c Release --project bench/Portal.Benchmarks -- jobs [N]     (the job engine: provisioning jobs per minute, submit -> first step)
// dotnet run -c Release --project bench/Portal.Benchmarks -- deploys [N]  (deployments: N services at once, POST -> rollout succeeded; preview)
return args.FirstOrDefault() switch
{
    "render" => RunRender(args[1..]),
    "live" => await LiveBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40),
    "jobs" => await JobsBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40),
    "deploys" => await DeploysBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20),
    _ => Usage(),
};

static int RunRender(string[] rest)
{
    BenchmarkRunner.Run<PodsViewRenderBenchmarks>(args: rest);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: Portal.Benchmarks render | live [samples] | jobs [count] | deploys [count]");
    return 2;
}
