using System.Diagnostics;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>The real portal as a process on a free loopback port, on a fresh data directory (embedded default), with an admin token.</summary>
internal sealed class BenchPortal : IAsyncDisposable
{
    private readonly TempDirectory _data;
    private readonly Process _server;

    private BenchPortal(TempDirectory data, Process server, string baseUrl, Dictionary<string, string?> environment)
    {
        _data = data;
        _server = server;
        BaseUrl = baseUrl;
        Environment = environment;
    }

    public string BaseUrl { get; }

    /// <summary>The process's environment, for running its CLI subcommands on the same data.</summary>
    public Dictionary<string, string?> Environment { get; }

    public string DataDirectory => _data.Path;

    public int ProcessId => _server.Id;

    public string Token { get; private set; } = "";

    public static async Task<BenchPortal> StartAsync(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        var data = new TempDirectory(name);
        var baseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["PORTAL_DATA_DIR"] = data.Path,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var server = Process.Start(PortalProcess.StartInfo(["--urls", baseUrl], environment))!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var portal = new BenchPortal(data, server, baseUrl, environment);
        try
        {
            await PortalProcess.WaitUntilReadyAsync(server, baseUrl, timeout: TimeSpan.FromSeconds(60));
            var result = await PortalProcess.RunAsync(["tokens", "create", "--user", "admin", "--name", "bench", "--expires", "1d"], environment);
            portal.Token = result.Stdout.Trim().Split('\n')[^1].Trim();
            return portal;
        }
        catch
        {
            await portal.DisposeAsync();
            throw;
        }
    }

    /// <summary>The line every report starts with: what the figures were measured on.</summary>
    public static string Machine() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"Machine: {System.Environment.ProcessorCount} cores, {MemoryGiB():0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {System.Environment.Version}");

    public static double MemoryGiB() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (double)(1L << 30);

    /// <summary>"p50 12 ms, p95 30 ms": how every report states a latency.</summary>
    public static string P50P95(IEnumerable<double> values)
    {
        var list = values.ToList();
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"p50 {Percentile(list, 0.5):0} ms, p95 {Percentile(list, 0.95):0} ms");
    }

    /// <summary>The nearest-rank percentile (0..1) of <paramref name="values"/>.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }
        finally
        {
            _server.Dispose();
            _data.Dispose();
        }
    }
}
