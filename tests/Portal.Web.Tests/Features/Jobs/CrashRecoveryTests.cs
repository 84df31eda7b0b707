using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Testing;

namespace Portal.Web.Tests.Features.Jobs;

/// <summary>
/// SIGKILL in the middle of the two long jobs (ADR 0009, 0010), on the embedded SQLite store and on PostgreSQL: the
/// portal is started again on the same data directory and database, and each job must finish by itself, leave the
/// cluster and the records in a true state, and have audited each action once.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly string[] Finished = ["succeeded", "failed", "cancelled"];
    private readonly TempDirectory _data = new("portal-crash");

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task Sigkill_MidProvisioningThenMidRollout_JobsResumeAndEndTrue(string database)
    {
        var settings = await SettingsAsync(database);
        await using var portal = new PortalInstance(_data.Path, settings);
        var token = await portal.TokenAsync("admin");
        await portal.StartAsync();

        var (environment, ns) = await CreateEnvironmentKilledMidJobAsync(portal, token);
        await DeployKilledMidRolloutAsync(portal, token, environment, ns);
    }

    /// <summary>
    /// Case A: an environment's create job, killed once a step has reached the cluster and before the job ended.
    /// A job can finish between the last look and the kill (it takes a second or two); then another environment is
    /// tried, a few times at most, since only a job that was unfinished at the kill shows recovery.
    /// </summary>
    private static async Task<(string Name, string Namespace)> CreateEnvironmentKilledMidJobAsync(PortalInstance portal, string token)
    {
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var name = $"crash-{attempt}-{Guid.NewGuid():N}"[..16];
            var body = new { name, displayName = "Crash test", tier = "dev", owningTeam = "platform", costCentre = "cc-1" };
            IReadOnlyList<JsonElement> planned;
            Guid jobId;
            DateTimeOffset killedAt;
            using (var client = portal.Client(token))
            {
                using var preview = await client.PostAsJsonAsync("/api/v1/environments/preview", body);
                preview.StatusCode.ShouldBe(HttpStatusCode.OK, await preview.Content.ReadAsStringAsync());
                planned = [.. (await preview.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()];
                planned.Count.ShouldBeGreaterThan(4, "namespace, quota, limits, role bindings and network policies");

                using var created = await client.PostAsJsonAsync("/api/v1/environments", body);
                created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
                jobId = (await JobsOfAsync(client, name)).Single().GetProperty("id").GetGuid();

                // Kill once some step is done and the job is not: its later steps have not reached the cluster yet.
                var job = await PollAsync(client, $"/api/v1/jobs/{jobId}", j =>
                    Finished.Contains(j.GetProperty("state").GetString()) || j.GetProperty("steps").EnumerateArray().Any(s => s.GetProperty("state").GetString() == "succeeded"),
                    TimeSpan.FromMilliseconds(5));
                if (Finished.Contains(job.GetProperty("state").GetString()))
                {
                    continue;
                }

                killedAt = DateTimeOffset.UtcNow;
                await portal.KillAsync();
            }

            await portal.StartAsync();
            using var after = portal.Client(token);
            var resumed = await PollAsync(after, $"/api/v1/jobs/{jobId}", j => Finished.Contains(j.GetProperty("state").GetString()), TimeSpan.FromMilliseconds(200));
            if (resumed.GetProperty("finishedAt").GetDateTimeOffset() < killedAt)
            {
                continue; // it ended between the last look and the kill: nothing was recovered; try another
            }

            resumed.GetProperty("state").GetString().ShouldBe("succeeded", $"{resumed}\n{portal.OutputTail}");
            var environment = await after.GetFromJsonAsync<JsonElement>($"/api/v1/environments/{name}");
            environment.GetProperty("status").GetString().ShouldBe("ready");
            await ShouldHoldEveryPlannedObjectOnceAsync(portal, name, planned);

            var audit = await AuditAsync(after, name);
            audit.Count(r => r.Action == "environments.create").ShouldBe(1, Describe(audit));
            audit.Count(r => r.Action == "jobs.step" && r.Target == "environment.create:mark-ready" && r.Outcome == "succeeded").ShouldBe(1, Describe(audit));
            foreach (var step in resumed.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()))
            {
                // A step that ran again after the kill is audited once, not per run, and none is missing: a step's
                // final state and its record commit together.
                audit.Count(r => r.Action == "jobs.step" && r.Target == $"environment.create:{step}" && r.Outcome == "succeeded").ShouldBe(1, Describe(audit));
            }

            return (name, environment.GetProperty("namespace").GetString()!);
        }

        throw new ShouldAssertException("Every create job finished before the kill reached it; none could show recovery.");
    }

    /// <summary>
    /// Case B: a deploy killed while the rollout step watches the cluster. After the restart the release must end, in
    /// the state the cluster's Deployment is in (never left rolling out), and the deploy be audited once.
    /// </summary>
    private static async Task DeployKilledMidRolloutAsync(PortalInstance portal, string token, string environment, string ns)
    {
        var service = $"crashsvc-{Guid.NewGuid():N}"[..16];
        Guid releaseId;
        DateTimeOffset killedAt;
        using (var client = portal.Client(token))
        {
            using (var registered = await client.PostAsJsonAsync("/api/v1/services", new
            {
                name = service,
                owningTeam = "platform",
                imageRepository = $"registry.portal.test/shop/{service}",
                ports = new[] { new { name = "http", port = 8080, protocol = "TCP" } },
                healthCheckPath = "/healthz",
                defaultReplicas = 2,
                resources = new { cpuRequest = "100m", cpuLimit = "200m", memoryRequest = "64Mi", memoryLimit = "128Mi" },
            }))
            {
                registered.StatusCode.ShouldBe(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
            }

            using var deployed = await client.PostAsJsonAsync($"/api/v1/environments/{environment}/deployments", new { service, version = "1.0.0" });
            deployed.StatusCode.ShouldBe(HttpStatusCode.Accepted, await deployed.Content.ReadAsStringAsync());
            releaseId = (await deployed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("release").GetProperty("id").GetGuid();

            // Mid-rollout: applied, watched, pods coming up, nothing available yet (minReadySeconds holds that off).
            var release = await PollAsync(client, $"/api/v1/environments/{environment}/deployments/{releaseId}",
                r => r.GetProperty("state").GetString() is not ("pending" or "rollingOut") || r.GetProperty("samples").GetArrayLength() > 0, TimeSpan.FromMilliseconds(50));
            release.GetProperty("state").GetString().ShouldBe("rollingOut", "the rollout should still run when it is killed");
            release.GetProperty("samples").EnumerateArray().Last().GetProperty("available").GetInt32().ShouldBe(0);
            killedAt = DateTimeOffset.UtcNow;
            await portal.KillAsync();
        }

        await portal.StartAsync();
        using var after = portal.Client(token);
        var ended = await PollAsync(after, $"/api/v1/environments/{environment}/deployments/{releaseId}",
            r => r.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled", TimeSpan.FromMilliseconds(250));
        ended.GetProperty("finishedAt").GetDateTimeOffset().ShouldBeGreaterThan(killedAt);

        var deployment = await portal.KubectlJsonAsync("get", "deployment", service, "-n", ns);
        var wanted = deployment.GetProperty("spec").GetProperty("replicas").GetInt32();
        var status = deployment.GetProperty("status");
        var available = status.TryGetProperty("availableReplicas", out var a) ? a.GetInt32() : 0;
        var updated = status.TryGetProperty("updatedReplicas", out var u) ? u.GetInt32() : 0;
        deployment.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0].GetProperty("image").GetString()
            .ShouldBe($"registry.portal.test/shop/{service}:1.0.0");

        // The sandbox runs this image fine: the rollout completes, and the release must say so, as the cluster does.
        ended.GetProperty("state").GetString().ShouldBe("succeeded", $"{ended}\n{portal.OutputTail}");
        (wanted, updated, available).ShouldBe((2, 2, 2), deployment.ToString());
        status.GetProperty("observedGeneration").GetInt64().ShouldBeGreaterThanOrEqualTo(deployment.GetProperty("metadata").GetProperty("generation").GetInt64());
        ended.GetProperty("samples").EnumerateArray().Last().GetProperty("available").GetInt32().ShouldBe(available);

        var audit = await AuditAsync(after, environment);
        audit.Count(r => r.Action == "deployments.deploy").ShouldBe(1, Describe(audit));
        audit.Count(r => r.Action == "jobs.step" && r.Target == "deployment.rollout:rollout" && r.Outcome == "succeeded").ShouldBe(1, Describe(audit));
    }

    /// <summary>Every object the preview planned is in the cluster once, and the cluster has no other object of the environment.</summary>
    private static async Task ShouldHoldEveryPlannedObjectOnceAsync(PortalInstance portal, string name, IReadOnlyList<JsonElement> planned)
    {
        var live = await portal.KubectlJsonAsync("get", "namespaces,resourcequotas,limitranges,rolebindings,networkpolicies", "-A", "-l", $"portal.dev/environment={name}");
        var liveKeys = live.GetProperty("items").EnumerateArray()
            .Select(o => Key(o.GetProperty("kind").GetString(), o.GetProperty("metadata").TryGetProperty("namespace", out var ns) ? ns.GetString() : null, o.GetProperty("metadata").GetProperty("name").GetString()))
            .Order().ToList();
        var plannedKeys = planned
            .Select(o => Key(o.GetProperty("kind").GetString(), o.GetProperty("namespace").GetString(), o.GetProperty("name").GetString()))
            .Order().ToList();
        liveKeys.ShouldBe(plannedKeys);
    }

    private static string Key(string? kind, string? ns, string? name) => $"{kind} {ns}/{name}";

    private static async Task<IReadOnlyList<JsonElement>> JobsOfAsync(HttpClient client, string environment) =>
        [.. (await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs?environment={environment}")).GetProperty("items").EnumerateArray()];

    private sealed record AuditRow(string Action, string? Target, string Outcome, string Actor);

    private static async Task<IReadOnlyList<AuditRow>> AuditAsync(HttpClient client, string environment)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/audit?environment={environment}&take=500");
        return [.. page.GetProperty("records").EnumerateArray().Select(r => r.Deserialize<AuditRow>(Web)!)];
    }

    private static string Describe(IEnumerable<AuditRow> audit) => string.Join('\n', audit.Select(r => $"{r.Action} {r.Target} {r.Outcome} {r.Actor}"));

    /// <summary>GETs <paramref name="path"/> until <paramref name="done"/> holds (60 s at most, as a person would wait).</summary>
    private static async Task<JsonElement> PollAsync(HttpClient client, string path, Func<JsonElement, bool> done, TimeSpan every)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (done(body))
                {
                    return body;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new ShouldAssertException($"waited 60 s on {path}; last: {body}");
                }
            }
            else if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"waited 60 s on {path}; last: {(int)response.StatusCode}");
            }

            await Task.Delay(every);
        }
    }

    /// <summary>
    /// Development (demo users), a one-second sweep, and a short minReadySeconds so a rollout takes a few seconds.
    /// On PostgreSQL the scheduler is clustered: a replica that died is recognised after the check-in threshold
    /// (seconds here, 20 s by default) and its firings recovered by the next one.
    /// </summary>
    private static async Task<Dictionary<string, string?>> SettingsAsync(string database)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Jobs__SweepInterval"] = "00:00:01",
            ["Deployments__MinReadySeconds"] = "4",
            ["Deployments__PollInterval"] = "00:00:00.250",
        };
        if (database == "PostgreSql")
        {
            settings["Database__Provider"] = "PostgreSql";
            settings["Database__ConnectionString"] = await TestPostgres.CreateDatabaseAsync();
            settings["Jobs__ClusterCheckinInterval"] = "00:00:01";
            settings["Jobs__ClusterCheckinMisfireThreshold"] = "00:00:02";
        }

        return settings;
    }

    public void Dispose() => _data.Dispose();
}
