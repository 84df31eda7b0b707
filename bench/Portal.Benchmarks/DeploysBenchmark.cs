using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Environments;
using Portal.Kubernetes.Connection;
using Portal.Kubernetes.Deployments;
using Portal.Kubernetes.Provisioning;
using Portal.Kubernetes.Rest;

namespace Portal.Benchmarks;

/// <summary>
/// Deployments against the real portal and its sandbox cluster: N services deployed to one environment at once
/// (2 replicas each), from the POST to the release's rollout judged complete; and the preview (render, dry-run apply,
/// diff). Baseline, in the same run: the same services applied straight through the deployer and watched until
/// <c>kubectl rollout status</c> would say done, with the engine's concurrency and no engine, no database, no judge.
/// </summary>
public static class DeploysBenchmark
{
    private const int PreviewSamples = 30;

    public static async Task<int> RunAsync(int count)
    {
        // minReadySeconds 0, like the baseline: the figures compare the machinery, not a chosen wait.
        await using var portal = await BenchPortal.StartAsync("portal-bench-deploys", new Dictionary<string, string> { ["Deployments__MinReadySeconds"] = "0" });
        using var api = new HttpClient { BaseAddress = new Uri(portal.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", portal.Token);

        var report = new StringBuilder();
        report.AppendLine(BenchPortal.Machine());
        for (var i = 0; i < count; i++)
        {
            await RegisterAsync(api, $"svc-{i}");
        }

        // Two fresh environments with room for every pod: one for the portal's deploys, one for the baseline's.
        await CreateEnvironmentAsync(api, "bench");
        await CreateEnvironmentAsync(api, "bench-base");
        var baseline = await DirectAsync(Path.Combine(portal.DataDirectory, "sandbox", "kubeconfig"), count);
        var (perMinute, durations) = await BurstAsync(api, count);
        var (preview, get) = await PreviewAsync(api);

        report.AppendLine(CultureInfo.InvariantCulture, $"{count} services deployed to one environment at once (2 replicas each, minReadySeconds 0):");
        report.AppendLine(CultureInfo.InvariantCulture, $"  portal (API -> job -> apply -> rollout judged): {perMinute:0.0} deploys/min; POST -> succeeded {BenchPortal.P50P95(durations)}");
        report.AppendLine(CultureInfo.InvariantCulture, $"  baseline (deployer apply + poll until complete, 4 at a time): {baseline.PerMinute:0.0} deploys/min; {BenchPortal.P50P95(baseline.Durations)}; throughput ratio {perMinute / baseline.PerMinute:0.00}");
        report.AppendLine(CultureInfo.InvariantCulture, $"Preview of a running service ({PreviewSamples} one at a time): {BenchPortal.P50P95(preview)}");
        report.AppendLine(CultureInfo.InvariantCulture, $"  baseline, GET of one release: {BenchPortal.P50P95(get)}; ratio at p50 {BenchPortal.Percentile(preview, 0.5) / BenchPortal.Percentile(get, 0.5):0.00}");
        Console.WriteLine(report);
        return 0;
    }

    private static async Task CreateEnvironmentAsync(HttpClient api, string name)
    {
        using (var response = await api.PostAsJsonAsync("/api/v1/environments", new
        {
            name, displayName = name, tier = "dev", owningTeam = "bench", costCentre = "bench", quota = new { cpu = "16", memory = "32Gi", pods = 200 },
        }))
        {
            response.EnsureSuccessStatusCode();
        }

        while (true)
        {
            using var doc = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/environments/{name}"));
            if (doc.RootElement.GetProperty("status").GetString() == "ready")
            {
                return;
            }

            await Task.Delay(200);
        }
    }

    private static async Task RegisterAsync(HttpClient api, string name)
    {
        using var response = await api.PostAsJsonAsync("/api/v1/services", new
        {
            name, owningTeam = "bench", imageRepository = $"registry.portal.test/bench/{name}",
            ports = new[] { new { name = "http", port = 8080, protocol = "TCP" } }, healthCheckPath = "/healthz", defaultReplicas = 2,
            resources = new { cpuRequest = "10m", cpuLimit = "", memoryRequest = "16Mi", memoryLimit = "" },
        });
        response.EnsureSuccessStatusCode();
    }

    private static async Task<(double PerMinute, List<double> Durations)> DirectAsync(string kubeconfig, int count)
    {
        var connection = KubeconfigLoader.Load(kubeconfig);
        using var http = ClusterHttp.CreateClient(connection, new ExecCredentialProvider(TimeProvider.System));
        var deployer = new KubernetesServiceDeployer(new Clients(new KubernetesRestClient(http)), TimeProvider.System);
        var env = new PortalEnvironment
        {
            Name = "bench-base", DisplayName = "Bench", Tier = EnvironmentTier.Dev, Cluster = "sandbox", Namespace = "bench-base",
            OwningTeam = "bench", CostCentre = "bench", CreatedBy = "admin",
        };
        var durations = new List<double>();
        var started = Stopwatch.GetTimestamp();
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var one = Stopwatch.GetTimestamp();
                var spec = new DeploySpec
                {
                    Image = $"registry.portal.test/bench/svc-{i}:1", Replicas = 2, Ports = [new ServicePort("http", 8080)], HealthCheckPath = "/healthz",
                    Resources = new ResourceSettings("10m", "", "16Mi", ""),
                };
                await deployer.ApplyAsync(env, $"svc-{i}", deployer.Render(env, $"svc-{i}", spec, 1), _ => Task.CompletedTask, CancellationToken.None);
                while (!(await deployer.RolloutAsync(env, $"svc-{i}", CancellationToken.None)).Complete)
                {
                    await Task.Delay(200);
                }

                lock (durations)
                {
                    durations.Add(Stopwatch.GetElapsedTime(one).TotalMilliseconds);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return (count / Stopwatch.GetElapsedTime(started).TotalMinutes, durations);
    }

    private static async Task<(double PerMinute, List<double> Durations)> BurstAsync(HttpClient api, int count)
    {
        var started = Stopwatch.GetTimestamp();
        var ids = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            using var response = await api.PostAsJsonAsync("/api/v1/environments/bench/deployments", new { service = $"svc-{i}", version = "1" });
            response.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return doc.RootElement.GetProperty("release").GetProperty("id").GetGuid();
        }));
        var durations = new List<double>();
        foreach (var id in ids)
        {
            while (true)
            {
                using var doc = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/environments/bench/deployments/{id}"));
                var state = doc.RootElement.GetProperty("state").GetString();
                if (state == "failed")
                {
                    throw new InvalidOperationException("a bench deploy failed: " + doc.RootElement.GetProperty("failure").GetString());
                }

                if (state == "succeeded")
                {
                    durations.Add((doc.RootElement.GetProperty("finishedAt").GetDateTimeOffset() - doc.RootElement.GetProperty("createdAt").GetDateTimeOffset()).TotalMilliseconds);
                    break;
                }

                await Task.Delay(100);
            }
        }

        return (count / Stopwatch.GetElapsedTime(started).TotalMinutes, durations);
    }

    private static async Task<(List<double> Preview, List<double> Get)> PreviewAsync(HttpClient api)
    {
        using (var listed = JsonDocument.Parse(await api.GetStringAsync("/api/v1/environments/bench/deployments?take=1")))
        {
            var id = listed.RootElement[0].GetProperty("id").GetGuid();
            var preview = new List<double>();
            var get = new List<double>();
            for (var i = 0; i < PreviewSamples; i++)
            {
                var start = Stopwatch.GetTimestamp();
                using (var response = await api.PostAsJsonAsync("/api/v1/environments/bench/deployments/preview", new { service = "svc-0", version = "2" }))
                {
                    response.EnsureSuccessStatusCode();
                }

                preview.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                start = Stopwatch.GetTimestamp();
                await api.GetStringAsync($"/api/v1/environments/bench/deployments/{id}");
                get.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            return (preview, get);
        }
    }

    private sealed class Clients(KubernetesRestClient client) : IKubernetesClients
    {
        public Task<KubernetesRestClient> ClientForAsync(string cluster, CancellationToken ct) => Task.FromResult(client);
    }
}
