using System.Diagnostics;
using System.Text;
using Portal.Testing;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// A portal process of its own (fresh data directory, embedded defaults, Development) whose stdout and stderr are
/// kept, for tests that read what the process wrote: the shared <see cref="PortalServerFixture"/> discards its output.
/// </summary>
public sealed class CapturedPortalServer : IAsyncDisposable
{
    private readonly TempDirectory _data = new("portal-e2e-captured");
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();
    private Process? _process;

    private CapturedPortalServer(IReadOnlyDictionary<string, string?> settings)
    {
        Environment = new Dictionary<string, string?>(settings)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["PORTAL_DATA_DIR"] = _data.Path,
        };
    }

    public string BaseUrl { get; } = $"http://127.0.0.1:{FreePort.Next()}";

    public string DataDirectory => _data.Path;

    /// <summary>The server's settings; a CLI run against the same data directory uses them too.</summary>
    public Dictionary<string, string?> Environment { get; }

    public string SandboxKubeconfig => Path.Combine(_data.Path, "sandbox", "kubeconfig");

    /// <summary>Everything the process wrote to stdout and stderr so far, one line per line.</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the built portal with <paramref name="settings"/> on top of the defaults and waits until /readyz answers.</summary>
    public static async Task<CapturedPortalServer> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var server = new CapturedPortalServer(settings);
        try
        {
            server._process = Process.Start(PortalProcess.StartInfo(["--urls", server.BaseUrl], server.Environment))!;
            server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
            server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            server._process.BeginOutputReadLine();
            server._process.BeginErrorReadLine();
            await server.WaitUntilReadyAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _data.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.AppendLine(line);
        }
    }

    private Task WaitUntilReadyAsync() => PortalProcess.WaitUntilReadyAsync(_process!, BaseUrl, () => Output);
}
