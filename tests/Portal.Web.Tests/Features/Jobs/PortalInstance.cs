using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Portal.Testing;

namespace Portal.Web.Tests.Features.Jobs;

/// <summary>
/// The built portal as a process of its own on a data directory that outlives it, so a test can SIGKILL it and start
/// it again on the same files (and database): what a crash, an OOM kill or a node failure does to a real replica.
/// </summary>
internal sealed class PortalInstance(string dataDirectory, IReadOnlyDictionary<string, string?> settings) : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public string BaseUrl { get; private set; } = "";

    public string Kubeconfig => Path.Combine(dataDirectory, "sandbox", "kubeconfig");

    public Dictionary<string, string?> Environment => new(settings) { ["PORTAL_DATA_DIR"] = dataDirectory };

    /// <summary>The last lines the process wrote, for a failure message.</summary>
    public string OutputTail
    {
        get
        {
            lock (_output)
            {
                var text = _output.ToString();
                return text.Length <= 4000 ? text : text[^4000..];
            }
        }
    }

    public async Task StartAsync()
    {
        BaseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        _process = Process.Start(PortalProcess.StartInfo(["--urls", BaseUrl], Environment))!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await PortalProcess.WaitUntilReadyAsync(_process, BaseUrl, () => OutputTail);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, no graceful stop of the scheduler or the sandbox.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("Not started.");
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
        _process = null;
    }

    /// <summary>A personal access token of <paramref name="user"/>, made with the CLI on the same data directory and database.</summary>
    public async Task<string> TokenAsync(string user)
    {
        var result = await PortalProcess.RunAsync(["tokens", "create", "--user", user, "--name", "crash-test", "--expires", "1d"], Environment);
        result.ExitCode.ShouldBe(0, result.Stderr);
        return result.Stdout.Trim().Split('\n')[^1].Trim();
    }

    public HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>kubectl against the embedded sandbox cluster, as someone holding its kubeconfig sees it; the JSON answer.</summary>
    public async Task<JsonElement> KubectlJsonAsync(params string[] args)
    {
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["--kubeconfig", Kubeconfig, .. args, "-o", "json"])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        process.ExitCode.ShouldBe(0, $"kubectl {string.Join(' ', args)}: {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            await KillAsync();
        }

        _process?.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > 64_000)
            {
                _output.Remove(0, _output.Length - 32_000);
            }
        }
    }
}
