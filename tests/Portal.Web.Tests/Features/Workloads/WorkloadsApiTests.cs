using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Workloads;

/// <summary>The workloads API against the embedded sandbox cluster: what it reads, what it does, who may, and the audit.</summary>
public sealed class WorkloadsApiTests(SandboxAppFactory sandbox) : IClassFixture<SandboxAppFactory>
{
    private static string User(string role) => MatrixAppFactory.UserFor(role);

    [Fact]
    public async Task Pods_ListsTheEnvironmentsRunningPods()
    {
        using var client = await sandbox.App.SignInAsync(User(Roles.Viewer));

        var pods = await EventuallyAsync(async () =>
        {
            var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/environments/dev/pods");
            return list.EnumerateArray().Any(p => p.GetProperty("name").GetString()!.StartsWith("payments-api-", StringComparison.Ordinal) && p.GetProperty("status").GetString() == "Running")
                ? list : (JsonElement?)null;
        });

        var payments = pods.EnumerateArray().First(p => p.GetProperty("name").GetString()!.StartsWith("payments-api-", StringComparison.Ordinal));
        payments.GetProperty("ready").GetString().ShouldBe("1/1");
        payments.GetProperty("node").GetString().ShouldStartWith("sandbox-node-");
        payments.GetProperty("deployment").GetString().ShouldBe("payments-api");
        pods.EnumerateArray().ShouldAllBe(p => !p.GetProperty("name").GetString()!.StartsWith("search-api-", StringComparison.Ordinal), "search-api runs in staging, not dev");
    }

    [Fact]
    public async Task Workloads_ReportRolloutStates()
    {
        using var client = await sandbox.App.SignInAsync(User(Roles.Viewer));

        var rows = await EventuallyAsync(async () =>
        {
            var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/environments/staging/workloads");
            var states = list.EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!, d => d.GetProperty("rollout").GetString());
            return states.GetValueOrDefault("checkout-web") == "Complete" && states.GetValueOrDefault("search-api") == "Degraded" ? list : (JsonElement?)null;
        });

        var checkout = rows.EnumerateArray().First(d => d.GetProperty("name").GetString() == "checkout-web");
        checkout.GetProperty("desired").GetInt32().ShouldBe(2);
        checkout.GetProperty("available").GetInt32().ShouldBe(2);
        checkout.GetProperty("revision").GetString().ShouldBe("1");
    }

    [Fact]
    public async Task Logs_TailLinesAndDownload()
    {
        using var client = await sandbox.App.SignInAsync(User(Roles.Developer));
        var pod = await RunningPodAsync(client, "dev", "payments-api-");
        await Task.Delay(TimeSpan.FromSeconds(2));   // a running container writes about a line a second

        using var response = await client.GetAsync(new Uri($"/api/v1/environments/dev/pods/{pod}/logs?tailLines=2&download=true", UriKind.Relative));

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2, body);
        lines.ShouldAllBe(l => l.StartsWith("level=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_NoPreviousContainer_BadRequestInTheClustersWords()
    {
        using var client = await sandbox.App.SignInAsync(User(Roles.Developer));
        var pod = await RunningPodAsync(client, "dev", "orders-worker-");

        using var response = await client.GetAsync(new Uri($"/api/v1/environments/dev/pods/{pod}/logs?previous=true", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldContain("previous terminated container");
    }

    [Theory]
    [InlineData("tailLines=-1", "tailLines")]
    [InlineData("sinceSeconds=0", "sinceSeconds")]
    public async Task Logs_BadParameter_ProblemNamingTheField(string query, string field)
    {
        using var client = await sandbox.App.SignInAsync(User(Roles.Developer));

        using var response = await client.GetAsync(new Uri($"/api/v1/environments/dev/pods/any/logs?{query}", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Logs_ManagerMayNotReadLogs()
    {
        using var client = await sandbox.App.SignInAsync(User(Roles.Manager));

        using var response = await client.GetAsync(new Uri("/api/v1/environments/dev/pods/any/logs", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain(Permissions.LogsRead);
    }

    [Fact]
    public async Task Scale_AsOperator_ChangesTheDeploymentAndIsAudited()
    {
        using var client = await sandbox.App.SignInAsync(User(Roles.Operator));

        using var response = await client.PostAsJsonAsync("/api/v1/environments/test/workloads/notifications/scale", new { replicas = 2 });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        await EventuallyAsync(async () =>
        {
            var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/environments/test/workloads");
            var row = list.EnumerateArray().First(d => d.GetProperty("name").GetString() == "notifications");
            return row.GetProperty("desired").GetInt32() == 2 && row.GetProperty("available").GetInt32() == 2 ? row : (JsonElement?)null;
        });
        var record = await LastAuditAsync("workloads.scale");
        record.Actor.ShouldBe(User(Roles.Operator));
        record.Outcome.ShouldBe(AuditOutcome.Succeeded);
        record.Target.ShouldBe("deployment/notifications");
        record.Environment.ShouldBe("test");
        record.Parameters.ShouldContain("\"replicas\":2");
    }

    [Fact]
    public async Task Scale_AsDeveloper_ForbiddenAndAuditedAsDenied()
    {
        using var client = await sandbox.App.SignInAsync(User(Roles.Developer));

        using var response = await client.PostAsJsonAsync("/api/v1/environments/dev/workloads/payments-api/scale", new { replicas = 5 });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var record = await LastAuditAsync("workloads.scale");
        record.Actor.ShouldBe(User(Roles.Developer));
        record.Outcome.ShouldBe(AuditOutcome.Denied);
    }

    [Theory]
    [InlineData("{}", "replicas")]
    [InlineData("{\"replica\":3}", "replicas")]
    [InlineData("{\"replicas\":-1}", "replicas")]
    [InlineData("{\"replicas\":100000}", "replicas")]
    public async Task Scale_OutOfRange_ProblemNamingTheField(string body, string field)
    {
        using var client = await sandbox.App.SignInAsync(User(Roles.Operator));

        using var response = await client.PostAsync(new Uri("/api/v1/environments/dev/workloads/payments-api/scale", UriKind.Relative),
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
        (await LastAuditAsync("workloads.scale")).Outcome.ShouldBe(AuditOutcome.Invalid);
    }

    [Fact]
    public async Task Scale_UnknownDeployment_NotFound()
    {
        using var client = await sandbox.App.SignInAsync(User(Roles.Operator));

        using var response = await client.PostAsJsonAsync("/api/v1/environments/dev/workloads/no-such-thing/scale", new { replicas = 1 });

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("no-such-thing");
    }

    [Fact]
    public async Task Restart_AsOperator_PodIsReplaced()
    {
        using var client = await sandbox.App.SignInAsync(User(Roles.Operator));
        var pod = await RunningPodAsync(client, "prod", "inventory-api-");

        using var response = await client.DeleteAsync(new Uri($"/api/v1/environments/prod/pods/{pod}", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        await EventuallyAsync(async () =>
        {
            var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/environments/prod/pods");
            var names = list.EnumerateArray().Where(p => p.GetProperty("name").GetString()!.StartsWith("inventory-api-", StringComparison.Ordinal)
                && p.GetProperty("status").GetString() == "Running").Select(p => p.GetProperty("name").GetString()).ToList();
            return names.Count == 2 && !names.Contains(pod) ? list : (JsonElement?)null;
        });
        var record = await LastAuditAsync("workloads.restart");
        record.Target.ShouldBe($"pod/{pod}");
        record.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task Restart_AsViewer_Forbidden()
    {
        using var client = await sandbox.App.SignInAsync(User(Roles.Viewer));

        using var response = await client.DeleteAsync(new Uri("/api/v1/environments/dev/pods/whatever", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Pods_EnvironmentTheUserCannotSee_NotFound()
    {
        // "dev" (the demo developer) sees dev, test and staging, not prod.
        using var client = await sandbox.App.SignInAsync("dev");

        using var response = await client.GetAsync(new Uri("/api/v1/environments/prod/pods", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Secrets_NeverAppearInAnyWorkloadAnswer()
    {
        using var client = await sandbox.App.SignInAsync(User(Roles.PortalAdmin));
        await RunningPodAsync(client, "dev", "payments-api-");

        var pods = await client.GetStringAsync(new Uri("/api/v1/environments/dev/pods", UriKind.Relative));
        var workloads = await client.GetStringAsync(new Uri("/api/v1/environments/dev/workloads", UriKind.Relative));

        // The seeded secret values (base64 of "<service>-<env>-db-password") must not leak through any view.
        foreach (var body in new[] { pods, workloads })
        {
            body.ShouldNotContain("db-password");
            body.ShouldNotContain(Convert.ToBase64String("payments-api-dev-db-password"u8.ToArray()));
        }
    }

    private async Task<AuditRecord> LastAuditAsync(string action)
    {
        var page = await sandbox.App.Services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery { Take = 20 }, null, true, CancellationToken.None);
        return page.Records.First(r => r.Action == action);
    }

    private static async Task<string> RunningPodAsync(HttpClient client, string env, string prefix)
    {
        var list = await EventuallyAsync(async () =>
        {
            var pods = await client.GetFromJsonAsync<JsonElement>($"/api/v1/environments/{env}/pods");
            return pods.EnumerateArray().Any(p => p.GetProperty("name").GetString()!.StartsWith(prefix, StringComparison.Ordinal) && p.GetProperty("ready").GetString() == "1/1")
                ? pods : (JsonElement?)null;
        });
        return list.EnumerateArray().First(p => p.GetProperty("name").GetString()!.StartsWith(prefix, StringComparison.Ordinal) && p.GetProperty("ready").GetString() == "1/1")
            .GetProperty("name").GetString()!;
    }

    /// <summary>Polls until the cluster has converged (its controllers work in real time), for up to 30 s.</summary>
    internal static async Task<JsonElement> EventuallyAsync(Func<Task<JsonElement?>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException("the cluster did not reach the expected state within 30 s");
            }

            await Task.Delay(200);
        }
    }
}
