using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Portal.Kubernetes.Connection;

/// <summary>What an exec credential plugin printed: a token (and/or a client certificate) valid until an instant.</summary>
public sealed record ExecCredential(string? Token, string? ClientCertificatePem, string? ClientKeyPem, DateTimeOffset? ExpiresAt);

/// <summary>
/// Runs kubeconfig exec plugins (client.authentication.k8s.io ExecCredential, as client-go does) and caches each
/// plugin's credential until shortly before it expires, or, without an expiry, until <see cref="Invalidate"/>
/// (call it on a 401).
/// </summary>
public sealed class ExecCredentialProvider(TimeProvider clock)
{
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, ExecCredential> _cache = new(StringComparer.Ordinal);

    public async Task<ExecCredential> GetAsync(ExecPlugin plugin, Uri server, CancellationToken ct)
    {
        var key = Key(plugin);
        if (_cache.TryGetValue(key, out var cached) && (cached.ExpiresAt is null || cached.ExpiresAt - Skew > clock.GetUtcNow()))
        {
            return cached;
        }

        var fresh = await RunAsync(plugin, server, ct);
        _cache[key] = fresh;
        return fresh;
    }

    public void Invalidate(ExecPlugin plugin) => _cache.TryRemove(Key(plugin), out _);

    private static async Task<ExecCredential> RunAsync(ExecPlugin plugin, Uri server, CancellationToken ct)
    {
        var info = new ProcessStartInfo(plugin.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = plugin.WorkingDirectory,
        };
        foreach (var arg in plugin.Args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in plugin.Env)
        {
            info.Environment[name] = value;
        }

        object spec = plugin.ProvideClusterInfo
            ? new { interactive = false, cluster = new { server = server.ToString() } }
            : new { interactive = false };
        info.Environment["KUBERNETES_EXEC_INFO"] = JsonSerializer.Serialize(new { apiVersion = plugin.ApiVersion, kind = "ExecCredential", spec });

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new ExecCredentialException($"exec plugin '{plugin.Command}' could not be started ({ex.Message})");
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new ExecCredentialException($"exec plugin '{plugin.Command}' gave no answer within {Timeout.TotalSeconds:0} s");
            }

            if (process.ExitCode != 0)
            {
                var firstLine = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
                throw new ExecCredentialException($"exec plugin '{plugin.Command}' exited with {process.ExitCode}: {firstLine.Trim()}");
            }

            return Parse(await stdout, plugin.Command);
        }
    }

    internal static ExecCredential Parse(string json, string command)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.GetProperty("kind").GetString() != "ExecCredential" || !root.TryGetProperty("status", out var status))
            {
                throw new ExecCredentialException($"exec plugin '{command}' did not print an ExecCredential with a status");
            }

            string? Text(string name) => status.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var expires = Text("expirationTimestamp") is { } e ? DateTimeOffset.Parse(e, System.Globalization.CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
            var credential = new ExecCredential(Text("token"), Text("clientCertificateData"), Text("clientKeyData"), expires);
            return credential.Token is null && credential.ClientCertificatePem is null
                ? throw new ExecCredentialException($"exec plugin '{command}' returned neither a token nor a client certificate")
                : credential;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new ExecCredentialException($"exec plugin '{command}' printed something that is not an ExecCredential ({ex.GetType().Name})");
        }
    }

    private static string Key(ExecPlugin plugin) =>
        string.Join('\u001f', [plugin.Command, .. plugin.Args, .. plugin.Env.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}")]);
}

/// <summary>An exec credential plugin failed; the message says which and how, never what it printed on success.</summary>
public sealed class ExecCredentialException(string message) : Exception(message);
