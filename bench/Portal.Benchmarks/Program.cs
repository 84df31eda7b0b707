using BenchmarkDotNet.Running;
using Portal.Benchmarks;

// dotnet run -c Release --project bench/Portal.Benchmarks -- render       (BenchmarkDotNet: server-side render of the pods view)
// dotnet run -c Release --project bench/Portal.Benchmarks -- live [N]     (the real portal in Chromium: latency, memory, 10,000 pods)
return args.FirstOrDefault() switch
{
    "render" => RunRender(args[1..]),
    "live" => await LiveBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40),
    _ => Usage(),
};

static int RunRender(string[] rest)
{
    BenchmarkRunner.Run<PodsViewRenderBenchmarks>(args: rest);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: Portal.Benchmarks render | live [samples]");
    return 2;
}
