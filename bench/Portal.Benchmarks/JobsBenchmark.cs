using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Portal.Core.Environments;
using Portal.Core.Provisioning;
using Portal.Kubernetes.Connection;
using Portal.Kubernetes.Provisioning;
using Portal.Kubernetes.Rest;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// The job engine against the real portal and its sandbox cluster: provisioning jobs completed per minute (a burst
/// of N creations), and the delay from submit to the first step's start on a quiet engine. The baseline, in the
/// same run: the same objects applied straight through the provisioner, with the same concurrency and no engine.
/// </summary>
public static class JobsBenchmark
{
    private const int QuietSamples = 20;

    public static async Task<int> RunAsync(int jobs)
    {
        await using var portal = await BenchPortal.StartAsync("portal-bench-jobs");
        {
            using var api = new HttpClient { BaseAddress = new Uri(portal.BaseUrl) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", portal.Token);

            var report = new StringBuilder();
            report.AppendLine(BenchPortal.Machine());

            var baseline = await DirectAsync(Path.Combine(portal.DataDirectory, "sandbox", "kubeconfig"), jobs);
            var (throughput, burstDelays) = await BurstAsync(api, jobs);
            var (quietDelays, postMs) = await QuietAsync(api);

            report.AppendLine(CultureInfo.InvariantCulture, $"Provisioning, {jobs} environments at once (7 steps, 13 objects each):");
            report.AppendLine(CultureInfo.InvariantCulture, $"  engine: {throughput:0.0} jobs/min; baseline (same objects applied directly, 4 at a time): {baseline:0.0} environments/min; ratio {throughput / baseline:0.00}");
            report.AppendLine(CultureInfo.InvariantCulture, $"  submit -> first step under the burst: {BenchPortal.P50P95(burstDelays)}");
            report.AppendLine(CultureInfo.InvariantCulture, $"Submit -> first step on a quiet engine ({QuietSamples} jobs one at a time): {BenchPortal.P50P95(quietDelays)}");
            report.AppendLine(CultureInfo.InvariantCulture, $"  baseline, the POST that submits it: {BenchPortal.P50P95(postMs)}; ratio at p50 {BenchPortal.Percentile(quietDelays, 0.5) / BenchPortal.Percentile(postMs, 0.5):0.00}");
            Console.WriteLine(report);
            return 0;
        }
    }

    private static async Task<double> DirectAsync(string kubeconfig, int count)
    {
        var connection = KubeconfigLoader.Load(kubeconfig);
        using var http = ClusterHttp.CreateClient(connection, new ExecCredentialProvider(TimeProvider.System));
        var provisioner = new KubernetesEnvironmentProvisioner(new Clients(new KubernetesRestClient(http)),
            Options.Create(new ProvisioningOptions()), Options.Create(new EnvironmentPolicyOptions()), TimeProvider.System);
        var started = Stopwatch.GetTimestamp();
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var env = new PortalEnvironment
                {
                    Name = $"base-{i}", DisplayName = "b", Tier = EnvironmentTier.Dev, Cluster = "sandbox", Namespace = $"base-{i}",
                    OwningTeam = "bench", CostCentre = "bench", CreatedBy = "admin",
                };
                foreach (var part in ProvisioningParts.All)
                {
                    await provisioner.ApplyAsync(env, part, [], _ => Task.CompletedTask, CancellationToken.None);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return count / Stopwatch.GetElapsedTime(started).TotalMinutes;
    }

    private static async Task<(double PerMinute, List<double> Delays)> BurstAsync(HttpClient api, int count)
    {
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => CreateAsync(api, $"burst-{i}")));
        var jobs = await WaitAllAsync(api, "burst-", count);
        var first = jobs.Min(j => j.Created);
        var last = jobs.Max(j => j.Finished);
        return (count / (last - first).TotalMinutes, [.. jobs.Select(j => (j.FirstStep - j.Created).TotalMilliseconds)]);
    }

    private static async Task<(List<double> Delays, List<double> PostMs)> QuietAsync(HttpClient api)
    {
        var post = new List<double>();
        for (var i = 0; i < QuietSamples; i++)
        {
            await Task.Delay(300);
            var start = Stopwatch.GetTimestamp();
            await CreateAsync(api, $"quiet-{i}");
            post.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            await WaitAllAsync(api, $"quiet-{i}", 1);
        }

        var jobs = await WaitAllAsync(api, "quiet-", QuietSamples);
        return ([.. jobs.Select(j => (j.FirstStep - j.Created).TotalMilliseconds)], post);
    }

    private static async Task CreateAsync(HttpClient api, string name)
    {
        using var response = await api.PostAsJsonAsync("/api/v1/environments", new { name, displayName = name, tier = "dev", owningTeam = "bench", costCentre = "bench" });
        response.EnsureSuccessStatusCode();
    }

    private static async Task<List<(DateTimeOffset Created, DateTimeOffset FirstStep, DateTimeOffset Finished)>> WaitAllAsync(HttpClient api, string prefix, int count)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            using var doc = JsonDocument.Parse(await api.GetStringAsync("/api/v1/jobs?kind=environment.create&take=200"));
            var mine = doc.RootElement.GetProperty("items").EnumerateArray()
                .Where(j => j.GetProperty("environment").GetString()!.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (mine.Any(j => j.GetProperty("state").GetString() == "failed"))
            {
                throw new InvalidOperationException("a provisioning job failed: " + mine.First(j => j.GetProperty("state").GetString() == "failed"));
            }

            if (mine.Count >= count && mine.All(j => j.GetProperty("state").GetString() == "succeeded"))
            {
                return [.. mine.Select(j => (
                    j.GetProperty("createdAt").GetDateTimeOffset(),
                    j.GetProperty("steps")[0].GetProperty("startedAt").GetDateTimeOffset(),
                    j.GetProperty("finishedAt").GetDateTimeOffset()))];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"jobs {prefix}* did not finish");
            }

            await Task.Delay(100);
        }
    }


    private sealed class Clients(KubernetesRestClient client) : IKubernetesClients
    {
        public Task<KubernetesRestClient> ClientForAsync(string cluster, CancellationToken ct) => Task.FromResult(client);
    }
}
