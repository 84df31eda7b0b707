using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.JSInterop;
using Portal.Core.Environments;
using Portal.Web.Features.Workloads;
using Radzen;

namespace Portal.Benchmarks;

/// <summary>
/// The first render of the pods view on the server: filter, sort and render <see cref="PodsTable"/> for N pods.
/// 100 pods is the baseline; virtualization should keep 10,000 far below 100 times its cost.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRun))]
public class PodsViewRenderBenchmarks
{
    private ServiceProvider _services = default!;
    private List<PodRow> _rows = [];
    private WorkloadScope _scope = default!;

    [Params(100, 10_000)]
    public int Pods { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IJSRuntime, NoJs>();
        services.AddRadzenComponents();
        _services = services.BuildServiceProvider();
        var now = DateTimeOffset.UtcNow;
        _rows = [.. Enumerable.Range(0, Pods).Select(i => new PodRow(
            $"bulk-5d4b8c7f9-{i:x5}", i % 50 == 0 ? "CrashLoopBackOff" : "Running", "Running", i % 50 == 0 ? 0 : 1, 1, i % 50 == 0 ? 3 : 0, null,
            $"node-{i % 100}", $"10.244.{i / 250}.{i % 250}", now.AddSeconds(-i), "bulk-5d4b8c7f9", i % 50 != 0))];
        _scope = new WorkloadScope(new PortalEnvironment
        {
            Name = "bench", DisplayName = "Bench", Tier = EnvironmentTier.Dev, Cluster = "sandbox", Namespace = "bench",
            OwningTeam = "perf", CostCentre = "cc", CreatedBy = "bench",
        }, null);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark]
    public async Task<int> FirstRender()
    {
        await using var renderer = new HtmlRenderer(_services, NullLoggerFactory.Instance);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<PodsTable>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(PodsTable.Scope)] = _scope,
                [nameof(PodsTable.Rows)] = _rows,
                [nameof(PodsTable.Synced)] = true,
            }));
            return output.ToHtmlString();
        });
        return html.Length;
    }

    /// <summary>
    /// In process: BenchmarkDotNet's generated project cannot restore on the partial mirror (it lacks the ASP.NET
    /// Core framework reference this project carries), and in-process timing is what a server render is anyway.
    /// </summary>
    private sealed class InProcessShortRun : ManualConfig
    {
        public InProcessShortRun() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    }

    private sealed class NoJs : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => ValueTask.FromResult(default(TValue)!);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) => ValueTask.FromResult(default(TValue)!);
    }
}
