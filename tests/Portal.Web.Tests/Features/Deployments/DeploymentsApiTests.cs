using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Web.Features.Deployments;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Deployments;

/// <summary>
/// Deploying through /api/v1/environments/{env}/deployments against the sandbox cluster: a rollout that succeeds,
/// fails (image pull, crash loop) and is rolled back; the quota and the one-rollout-at-a-time rule checked before
/// anything is applied; queueing; who may deploy where; approval; preview and diff; the audit trail.
/// </summary>
[Collection(DeploymentsCollection.Name)]
public sealed class DeploymentsApiTests(DeploymentsAppFactory deployments)
{
    private PortalAppFactory App => deployments.App;

    [Fact]
    public async Task Deploy_AsDeveloperToDev_AcceptedThenSucceedsWithItsPodsReady()
    {
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);
        var service = await DeployApi.CreateServiceAsync(developer, "dp-ok");

        using var response = await developer.PostAsJsonAsync("/api/v1/environments/dev/deployments", new { service, version = "1.0.0", replicas = 2 });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = answer.GetProperty("release").GetProperty("id").GetGuid();
        answer.GetProperty("jobId").GetGuid().ShouldNotBe(Guid.Empty);
        answer.GetProperty("release").GetProperty("number").GetInt32().ShouldBe(1);
        answer.GetProperty("release").GetProperty("state").GetString().ShouldBe("pending");
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/environments/dev/deployments/{id}");

        var done = await DeployApi.WaitForStateAsync(developer, "dev", id, "succeeded");
        done.GetProperty("image").GetString().ShouldBe($"{DeployApi.Registry}/{service}:1.0.0");
        done.GetProperty("requestedBy").GetString().ShouldBe(DeploymentsAppFactory.Developer);
        done.GetProperty("durationSeconds").GetDouble().ShouldBeGreaterThan(0);
        done.GetProperty("samples").EnumerateArray().Last().GetProperty("available").GetInt32().ShouldBe(2);
        done.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("kind").GetString()).ShouldContain("Deployment");
        var pods = (await developer.GetFromJsonAsync<JsonElement>("/api/v1/environments/dev/pods")).EnumerateArray()
            .Where(p => p.GetProperty("deployment").GetString() == service).ToList();
        pods.Count.ShouldBe(2);
        pods.ShouldAllBe(p => p.GetProperty("ready").GetString() == "1/1" && p.GetProperty("status").GetString() == "Running");
        var listed = await developer.GetFromJsonAsync<JsonElement>($"/api/v1/environments/dev/deployments?service={service}");
        listed.EnumerateArray().Single().GetProperty("id").GetGuid().ShouldBe(id);
        var audit = await AuditAsync("deployments.deploy", "dev", service);
        audit.GetProperty("actor").GetString().ShouldBe(DeploymentsAppFactory.Developer);
        audit.GetProperty("outcome").GetString().ShouldBe("succeeded");
        audit.GetProperty("parameters").GetString()!.ShouldContain("1.0.0");
    }

    [Fact]
    public async Task Deploy_BadTag_FailsWithImagePullBackOff_ThenRollbackToTheGoodReleaseSucceeds()
    {
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);
        var service = await DeployApi.CreateServiceAsync(developer, "dp-bad");
        var good = await DeployApi.DeploySucceededAsync(developer, "dev", new { service, version = "1.0.0" });
        var goodId = good.GetProperty("id").GetGuid();

        var bad = await DeployApi.DeployAsync(developer, "dev", new { service, version = "1.1.0-bad" });
        var failed = await DeployApi.WaitForStateAsync(developer, "dev", bad.GetProperty("id").GetGuid(), "failed");

        failed.GetProperty("failureReason").GetString().ShouldBe("ImagePullBackOff");
        failed.GetProperty("failure").GetString()!.ShouldContain($"The image {DeployApi.Registry}/{service}:1.1.0-bad could not be pulled");
        failed.GetProperty("failure").GetString()!.ShouldContain("ImagePullBackOff");
        var (status, answer) = await DeployApi.PostAsync(developer, $"/api/v1/environments/dev/deployments/{goodId}/rollback", new { });
        status.ShouldBe(HttpStatusCode.Accepted, answer.ToString());
        var rollback = await DeployApi.WaitForStateAsync(developer, "dev", answer.GetProperty("release").GetProperty("id").GetGuid(), "succeeded");
        rollback.GetProperty("kind").GetString().ShouldBe("rollback");
        rollback.GetProperty("source").GetGuid().ShouldBe(goodId);
        rollback.GetProperty("number").GetInt32().ShouldBe(3);
        rollback.GetProperty("image").GetString().ShouldBe($"{DeployApi.Registry}/{service}:1.0.0");
        await DeployApi.EventuallyAsync(async () =>
        {
            // The bad release's pod may still be terminating for a moment after the rollback is done.
            var pods = (await developer.GetFromJsonAsync<JsonElement>("/api/v1/environments/dev/pods")).EnumerateArray()
                .Where(p => p.GetProperty("deployment").GetString() == service).ToList();
            return pods.Count == 1 && pods[0].GetProperty("ready").GetString() == "1/1";
        }, "only the good release's pod, ready");
        var audit = await AuditAsync("deployments.rollback", "dev", goodId.ToString());
        (audit.GetProperty("actor").GetString(), audit.GetProperty("outcome").GetString()).ShouldBe((DeploymentsAppFactory.Developer, "succeeded"));
    }

    [Fact]
    public async Task Deploy_CrashingImage_FailsWithCrashLoopBackOff()
    {
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);
        var service = await DeployApi.CreateServiceAsync(developer, "dp-crash");

        var release = await DeployApi.DeployAsync(developer, "dev", new { service, version = "2.0.0-crash" });
        var failed = await DeployApi.WaitForStateAsync(developer, "dev", release.GetProperty("id").GetGuid(), "failed");

        failed.GetProperty("failureReason").GetString().ShouldBe("CrashLoopBackOff");
        failed.GetProperty("failure").GetString()!.ShouldContain("CrashLoopBackOff");
    }

    [Fact]
    public async Task Deploy_ReplicasBeyondTheQuota_400NamingReplicas_NothingStoredOrApplied()
    {
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);
        var service = await DeployApi.CreateServiceAsync(developer, "dp-quota");
        var env = deployments.QuotaEnvironment;

        var (status, problem) = await DeployApi.PostAsync(developer, $"/api/v1/environments/{env}/deployments", new { service, version = "1.0.0", replicas = 30 });

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        var messages = problem.GetProperty("errors").GetProperty("replicas").EnumerateArray().Select(m => m.GetString()).ToList();
        messages.ShouldHaveSingleItem()!.ShouldContain("quota");
        (await developer.GetFromJsonAsync<JsonElement>($"/api/v1/environments/{env}/deployments?service={service}")).GetArrayLength().ShouldBe(0);
        (await developer.GetFromJsonAsync<JsonElement>($"/api/v1/environments/{env}/workloads")).EnumerateArray()
            .ShouldNotContain(w => w.GetProperty("name").GetString() == service);
        (await AuditAsync("deployments.deploy", env, service)).GetProperty("outcome").GetString().ShouldBe("invalid");
    }

    [Fact]
    public async Task Deploy_WhileOneRuns_409NamingIt_QueuedOneRunsAfterIt()
    {
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);
        var service = await DeployApi.CreateServiceAsync(developer, "dp-queue");
        var first = await DeployApi.DeployAsync(developer, "dev", new { service, version = "1.0.0", replicas = 2 });

        var (status, conflict) = await DeployApi.PostAsync(developer, "/api/v1/environments/dev/deployments", new { service, version = "1.0.1" });
        var queued = await DeployApi.DeployAsync(developer, "dev", new { service, version = "1.0.1", queue = true });

        status.ShouldBe(HttpStatusCode.Conflict, conflict.ToString());
        conflict.GetProperty("detail").GetString()!.ShouldContain($"Release #1 of {service}");
        queued.GetProperty("state").GetString().ShouldBe("queued");
        queued.GetProperty("jobId").ValueKind.ShouldBe(JsonValueKind.Null);
        queued.GetProperty("number").GetInt32().ShouldBe(2, "the refused deploy took no number");
        var firstDone = await DeployApi.WaitForStateAsync(developer, "dev", first.GetProperty("id").GetGuid(), "succeeded");
        var secondDone = await DeployApi.WaitForStateAsync(developer, "dev", queued.GetProperty("id").GetGuid(), "succeeded");
        secondDone.GetProperty("startedAt").GetDateTimeOffset().ShouldBeGreaterThanOrEqualTo(firstDone.GetProperty("finishedAt").GetDateTimeOffset());
        secondDone.GetProperty("version").GetString().ShouldBe("1.0.1");
    }

    [Fact]
    public async Task Deploy_ToProdAsDeveloper_403NothingStored()
    {
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);
        var service = await DeployApi.CreateServiceAsync(developer, "dp-prod-dev");

        var (status, problem) = await DeployApi.PostAsync(developer, "/api/v1/environments/prod/deployments", new { service, version = "1.0.0" });

        status.ShouldBe(HttpStatusCode.Forbidden, problem.ToString());
        problem.GetProperty("permission").GetString().ShouldBe("deployments.deploy");
        (await developer.GetFromJsonAsync<JsonElement>($"/api/v1/environments/prod/deployments?service={service}")).GetArrayLength().ShouldBe(0);
        (await AuditAsync("deployments.deploy", "prod", service)).GetProperty("outcome").GetString().ShouldBe("denied");
    }

    [Fact]
    public async Task Deploy_ToProdAsOperator_AwaitsApprovalWithAPendingRequest()
    {
        using var op = await App.SignInAsync(DeploymentsAppFactory.Operator);
        var service = await DeployApi.CreateServiceAsync(op, "dp-prod-op");

        var (status, answer) = await DeployApi.PostAsync(op, "/api/v1/environments/prod/deployments", new { service, version = "1.0.0" });

        status.ShouldBe(HttpStatusCode.Accepted, answer.ToString());
        answer.GetProperty("jobId").ValueKind.ShouldBe(JsonValueKind.Null);
        var release = answer.GetProperty("release");
        release.GetProperty("state").GetString().ShouldBe("awaitingApproval");
        var requests = (await op.GetFromJsonAsync<JsonElement>("/api/v1/approvals?state=pending")).EnumerateArray()
            .Where(r => r.GetProperty("release").ValueKind == JsonValueKind.String && r.GetProperty("release").GetGuid() == release.GetProperty("id").GetGuid()).ToList();
        var request = requests.ShouldHaveSingleItem();
        (request.GetProperty("action").GetString(), request.GetProperty("environment").GetString(), request.GetProperty("requestedBy").GetString())
            .ShouldBe(("deploy", "prod", DeploymentsAppFactory.Operator));
        (await op.GetFromJsonAsync<JsonElement>("/api/v1/environments/prod/workloads")).EnumerateArray()
            .ShouldNotContain(w => w.GetProperty("name").GetString() == service, "nothing is applied before the approval");
    }

    [Fact]
    public async Task Preview_CreateFirst_ThenUnchangedForTheSameVersion_AndAnImageLineForANewOne()
    {
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);
        var service = await DeployApi.CreateServiceAsync(developer, "dp-preview");
        var path = "/api/v1/environments/dev/deployments/preview";

        var (firstStatus, first) = await DeployApi.PostAsync(developer, path, new { service, version = "1.0.0" });
        await DeployApi.DeploySucceededAsync(developer, "dev", new { service, version = "1.0.0" });
        var (_, same) = await DeployApi.PostAsync(developer, path, new { service, version = "1.0.0" });
        var (_, next) = await DeployApi.PostAsync(developer, path, new { service, version = "1.1.0" });

        firstStatus.ShouldBe(HttpStatusCode.OK, first.ToString());
        Changes(first).Values.ShouldAllBe(c => c == "create");
        Changes(first).Keys.ShouldContain($"Deployment/{service}");
        first.GetProperty("quota").GetString().ShouldNotBeNullOrEmpty();
        first.GetProperty("needsApproval").GetBoolean().ShouldBeFalse();
        first.GetProperty("manifests").GetArrayLength().ShouldBeGreaterThan(0);
        Changes(same)[$"Service/{service}"].ShouldBe("unchanged");
        ChangedLines(same, "Deployment").ShouldAllBe(l => l.Contains("portal.dev/release", StringComparison.Ordinal), "the same version changes nothing but the release number");
        Changes(next)[$"Deployment/{service}"].ShouldBe("update");
        var changed = ChangedLines(next, "Deployment");
        changed.ShouldContain(l => l.StartsWith('-') && l.Contains("image:", StringComparison.Ordinal) && l.Contains($"{service}:1.0.0", StringComparison.Ordinal));
        changed.ShouldContain(l => l.StartsWith('+') && l.Contains("image:", StringComparison.Ordinal) && l.Contains($"{service}:1.1.0", StringComparison.Ordinal));
        (await developer.GetFromJsonAsync<JsonElement>($"/api/v1/environments/dev/deployments?service={service}")).GetArrayLength().ShouldBe(1, "a preview stores nothing");
    }

    [Fact]
    public async Task Diff_BetweenTwoReleases_ShowsTheChangedImageLine()
    {
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);
        var service = await DeployApi.CreateServiceAsync(developer, "dp-diff");
        var first = await DeployApi.DeploySucceededAsync(developer, "dev", new { service, version = "1.0.0" });
        var second = await DeployApi.DeploySucceededAsync(developer, "dev", new { service, version = "1.2.0" });

        var diff = await developer.GetFromJsonAsync<JsonElement>($"/api/v1/environments/dev/deployments/{second.GetProperty("id").GetGuid()}/diff");

        diff.GetProperty("from").GetProperty("id").GetGuid().ShouldBe(first.GetProperty("id").GetGuid());
        var deployment = diff.GetProperty("objects").EnumerateArray().Single(o => o.GetProperty("kind").GetString() == "Deployment");
        deployment.GetProperty("change").GetString().ShouldBe("update");
        var lines = deployment.GetProperty("diff").GetString()!.Split('\n');
        lines.ShouldContain(l => l.StartsWith('-') && l.Contains("image:", StringComparison.Ordinal) && l.Contains($"{DeployApi.Registry}/{service}:1.0.0", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith('+') && l.Contains("image:", StringComparison.Ordinal) && l.Contains($"{DeployApi.Registry}/{service}:1.2.0", StringComparison.Ordinal));
        diff.GetProperty("objects").EnumerateArray().Single(o => o.GetProperty("kind").GetString() == "Service").GetProperty("change").GetString().ShouldBe("unchanged");
    }

    [Fact]
    public async Task Deploy_InvalidFields_TheFormsOwnChecksSayWhatTheServerSays()
    {
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);
        var service = await DeployApi.CreateServiceAsync(developer, "dp-form");
        var definition = await developer.GetFromJsonAsync<Portal.Core.Catalog.ServiceDefinition>($"/api/v1/services/{service}", JsonOptions);
        var form = new DeployForm
        {
            Service = service, Environment = "dev", Version = "Bad Tag!", Replicas = -1,
            ResourcesCpuRequest = "lots", ResourcesCpuLimit = "1", ResourcesMemoryRequest = "64Mi", ResourcesMemoryLimit = "128Mi",
            Env = [new() { Name = "1X", Value = "on" }],
        };

        var (status, problem) = await DeployApi.PostAsync(developer, "/api/v1/environments/dev/deployments", form.ToRequest());

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        var server = problem.GetProperty("errors").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Select(m => m.GetString()!).ToArray());
        var client = form.Validate(definition).ToDictionary();
        server.Keys.Order().ShouldBe(["env", "replicas", "resources.cpuRequest", "version"]);
        foreach (var (field, messages) in server)
        {
            client[field].ShouldBe(messages, $"the form's message for {field}");
        }
    }

    [Fact]
    public async Task AutoRollback_On_AFailedRolloutRollsBackToTheLastGoodRelease()
    {
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);
        var env = deployments.QuotaEnvironment;
        var current = await developer.GetFromJsonAsync<JsonElement>($"/api/v1/environments/{env}");
        using var patched = await developer.PatchAsJsonAsync($"/api/v1/environments/{env}", new { autoRollback = true, expectedVersion = current.GetProperty("version").GetInt32() });
        patched.StatusCode.ShouldBe(HttpStatusCode.OK, await patched.Content.ReadAsStringAsync());
        (await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("autoRollback").GetBoolean().ShouldBeTrue();
        var service = await DeployApi.CreateServiceAsync(developer, "dp-auto");
        var good = await DeployApi.DeploySucceededAsync(developer, env, new { service, version = "1.0.0" });

        var bad = await DeployApi.DeployAsync(developer, env, new { service, version = "1.1.0-bad" });
        await DeployApi.WaitForStateAsync(developer, env, bad.GetProperty("id").GetGuid(), "failed");

        JsonElement rollback = default;
        await DeployApi.EventuallyAsync(async () =>
        {
            var list = await developer.GetFromJsonAsync<JsonElement>($"/api/v1/environments/{env}/deployments?service={service}");
            rollback = list.EnumerateArray().FirstOrDefault(r => r.GetProperty("kind").GetString() == "rollback");
            return rollback.ValueKind == JsonValueKind.Object && rollback.GetProperty("state").GetString() == "succeeded";
        }, "the automatic rollback to succeed");
        rollback.GetProperty("source").GetGuid().ShouldBe(good.GetProperty("id").GetGuid());
        rollback.GetProperty("image").GetString().ShouldEndWith(":1.0.0");
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Each object of a preview as "Kind/name" → change.</summary>
    private static Dictionary<string, string> Changes(JsonElement preview) =>
        preview.GetProperty("objects").EnumerateArray().ToDictionary(o => $"{o.GetProperty("kind").GetString()}/{o.GetProperty("name").GetString()}", o => o.GetProperty("change").GetString()!);

    /// <summary>The added and removed lines of one object's diff in a preview.</summary>
    private static List<string> ChangedLines(JsonElement preview, string kind) =>
        [.. preview.GetProperty("objects").EnumerateArray().First(o => o.GetProperty("kind").GetString() == kind).GetProperty("diff").GetString()!
            .Split('\n').Where(l => l.StartsWith('+') || l.StartsWith('-'))];

    /// <summary>The newest audit record of an action on a target, read through the audit API as a PortalAdmin.</summary>
    private async Task<JsonElement> AuditAsync(string action, string environment, string targetContains)
    {
        using var admin = await App.SignInAsync(DeploymentsAppFactory.Admin);
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?action={action}&environment={environment}&take=200");
        return page.GetProperty("records").EnumerateArray().First(r => r.GetProperty("target").GetString()!.Contains(targetContains, StringComparison.Ordinal));
    }
}
