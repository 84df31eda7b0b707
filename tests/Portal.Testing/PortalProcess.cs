using System.Diagnostics;
using System.Text;

namespace Portal.Testing;

/// <summary>Runs the built Portal.Web binary as a separate process, the way a user or a container runs it.</summary>
public static class PortalProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IDictionary<string, string?> environment, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        info.ArgumentList.Add(RepositoryPaths.PortalWebDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Start from a clean slate: the test runner's own ASPNETCORE_/DOTNET_ settings must not leak in.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("Database__", StringComparison.Ordinal) || k == "PORTAL_DATA_DIR").ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>
    /// Waits until the portal at <paramref name="baseUrl"/> answers <c>/readyz</c> (migrated, scheduler running), failing
    /// at once, with its output, if the process exits first.
    /// </summary>
    public static async Task WaitUntilReadyAsync(Process process, string baseUrl, Func<string>? output = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(90);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal exited with code {process.ExitCode} before it was ready.{Tail(output)}");
            }

            try
            {
                if ((await http.GetAsync(new Uri($"{baseUrl}/readyz"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or busy starting: ask again.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The portal at {baseUrl} was not ready within {limit.TotalSeconds:0} s.{Tail(output)}");
    }

    private static string Tail(Func<string>? output) => output is null ? "" : $"\n{output()}";

    public static async Task<Result> RunAsync(IEnumerable<string> args, IDictionary<string, string?> environment, TimeSpan? timeout = null)
    {
        using var process = Process.Start(StartInfo(args, environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Portal.Web {string.Join(' ', args)} did not exit in time. Output so far: {await stdout}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
