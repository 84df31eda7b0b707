using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Core.Provisioning;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Jobs;

/// <summary>The jobs API against the sandbox: the job an environment's creation starts, the filters, who sees what, cancel, retry, audit.</summary>
public sealed class JobsApiTests(JobsAppFactory jobs) : IClassFixture<JobsAppFactory>
{
    private static readonly string[] CreateSteps = [.. ProvisioningParts.All, EnvironmentJobKinds.MarkReady];

    private static string User(string role) => MatrixAppFactory.UserFor(role);

    [Fact]
    public async Task CreateEnvironment_StartsOneCreateJob_ThatSucceedsStepByStep()
    {
        using var client = await jobs.App.SignInAsync(User(Roles.Developer));
        var name = $"jobs-create-{Guid.NewGuid():N}"[..20];

        using var created = await client.PostAsJsonAsync("/api/v1/environments", new { name, displayName = name, tier = "dev", owningTeam = "payments", costCentre = "cc-1001" });

        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs?environment={name}");
        list.GetProperty("total").GetInt32().ShouldBe(1);
        var listed = list.GetProperty("items").EnumerateArray().Single();
        listed.GetProperty("kind").GetString().ShouldBe("environment.create");
        listed.GetProperty("description").GetString().ShouldBe($"Create environment {name}");
        listed.GetProperty("environment").GetString().ShouldBe(name);
        listed.GetProperty("requestedBy").GetString().ShouldBe(User(Roles.Developer));

        var job = await JobsAppFactory.WaitForStateAsync(client, listed.GetProperty("id").GetGuid(), "succeeded");

        job.GetProperty("progress").GetDouble().ShouldBe(1.0);
        job.GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
        job.GetProperty("finishedAt").ValueKind.ShouldBe(JsonValueKind.String);
        var steps = job.GetProperty("steps").EnumerateArray().ToList();
        steps.Count.ShouldBe(7);
        steps.Select(s => s.GetProperty("name").GetString()).ShouldBe(CreateSteps, ignoreOrder: false, $"the step names changed: {job}");
        foreach (var step in steps)
        {
            step.GetProperty("state").GetString().ShouldBe("succeeded");
            step.GetProperty("attempts").GetInt32().ShouldBe(1);
            step.GetProperty("startedAt").ValueKind.ShouldBe(JsonValueKind.String);
            step.GetProperty("finishedAt").ValueKind.ShouldBe(JsonValueKind.String);
            step.GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
            step.GetProperty("nextAttemptAt").ValueKind.ShouldBe(JsonValueKind.Null);
        }

        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/environments/{name}")).GetProperty("status").GetString().ShouldBe("ready");
    }

    [Fact]
    public async Task Log_ListsTheStepsLines_AndOnlyThoseAfterTheGivenSequence()
    {
        using var client = await jobs.App.SignInAsync(User(Roles.Developer));
        var (_, id) = await JobsAppFactory.CreateEnvironmentAsync(client, "jobs-log");

        var lines = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}/log")).EnumerateArray().ToList();

        lines.Count.ShouldBeGreaterThanOrEqualTo(14, "a start and a finish line per step at least");
        var sequences = lines.Select(l => l.GetProperty("sequence").GetInt64()).ToList();
        sequences.ShouldBe(sequences.Order().ToList());
        lines.Select(l => l.GetProperty("stepIndex").GetInt32()).Distinct().Count().ShouldBe(7);
        lines.ShouldContain(l => l.GetProperty("message").GetString() == "Started namespace.");
        var after = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}/log?after={sequences[^3]}")).EnumerateArray().ToList();
        after.Select(l => l.GetProperty("sequence").GetInt64()).ShouldBe(sequences[^2..]);
    }

    [Theory]
    [InlineData("state=bogus", "state")]
    [InlineData("state=1", "state")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-45", "to")]
    [InlineData("take=0", "take")]
    [InlineData("take=201", "take")]
    [InlineData("skip=-1", "skip")]
    public async Task List_BadFilter_400ProblemNamingTheField(string query, string field)
    {
        using var client = await jobs.App.SignInAsync(User(Roles.Viewer));

        using var response = await client.GetAsync(new Uri($"/api/v1/jobs?{query}", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var body = await response.Content.ReadAsStringAsync();
        JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(body);
    }

    [Fact]
    public async Task List_FiltersByStateKindUserAndTime()
    {
        using var developer = await jobs.App.SignInAsync(User(Roles.Developer));
        var (name, id) = await JobsAppFactory.CreateEnvironmentAsync(developer, "jobs-filter");
        using var viewer = await jobs.App.SignInAsync(User(Roles.Viewer));

        async Task<List<Guid>> IdsAsync(string query) =>
            [.. (await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/jobs?environment={name}&{query}")).GetProperty("items").EnumerateArray().Select(j => j.GetProperty("id").GetGuid())];

        (await IdsAsync("state=SUCCEEDED")).ShouldBe([id], "state is case-insensitive");
        (await IdsAsync("state=failed")).ShouldBeEmpty();
        (await IdsAsync("kind=environment.create")).ShouldBe([id]);
        (await IdsAsync("kind=environment.destroy")).ShouldBeEmpty();
        (await IdsAsync($"user={User(Roles.Developer).ToUpperInvariant()}")).ShouldBe([id]);
        (await IdsAsync($"user={User(Roles.Operator)}")).ShouldBeEmpty();
        (await IdsAsync($"from={DateTimeOffset.UtcNow.AddHours(-1):O}&to={DateTimeOffset.UtcNow.AddMinutes(1):O}".Replace("+", "%2B", StringComparison.Ordinal))).ShouldBe([id]);
        (await IdsAsync($"from={DateTimeOffset.UtcNow.AddMinutes(1):yyyy-MM-ddTHH:mm:ssZ}")).ShouldBeEmpty();

        var all = await viewer.GetFromJsonAsync<JsonElement>("/api/v1/jobs?kind=environment.create&take=1");
        all.GetProperty("items").GetArrayLength().ShouldBe(1);
        all.GetProperty("total").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task ViewerOfAnotherEnvironment_CannotSeeTheJob()
    {
        using var developer = await jobs.App.SignInAsync(User(Roles.Developer));
        var (name, id) = await JobsAppFactory.CreateEnvironmentAsync(developer, "jobs-hidden");
        using var outsider = await jobs.App.SignInAsync(JobsAppFactory.Outsider);

        using var get = await outsider.GetAsync(new Uri($"/api/v1/jobs/{id}", UriKind.Relative));
        using var log = await outsider.GetAsync(new Uri($"/api/v1/jobs/{id}/log", UriKind.Relative));
        var list = await outsider.GetFromJsonAsync<JsonElement>("/api/v1/jobs?take=200");
        var filtered = await outsider.GetFromJsonAsync<JsonElement>($"/api/v1/jobs?environment={name}");

        get.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        get.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        log.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        list.GetProperty("items").EnumerateArray().ShouldNotContain(j => j.GetProperty("id").GetGuid() == id);
        list.GetProperty("items").EnumerateArray().ShouldAllBe(j => j.GetProperty("environment").GetString() == "test");
        filtered.GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Get_UnknownJob_404ProblemJson()
    {
        using var client = await jobs.App.SignInAsync("admin");

        using var response = await client.GetAsync(new Uri($"/api/v1/jobs/{Guid.NewGuid()}", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("cancel", "jobs.cancel", "nothing to cancel")]
    [InlineData("retry", "jobs.retry", "Only a failed job can be retried")]
    public async Task CancelOrRetry_SucceededJob_409AndOneFailedAuditRecord(string verb, string action, string message)
    {
        using var owner = await jobs.App.SignInAsync(User(Roles.Developer));
        var (name, id) = await JobsAppFactory.CreateEnvironmentAsync(owner, $"jobs-{verb}");

        using var response = await owner.PostAsync(new Uri($"/api/v1/jobs/{id}/{verb}", UriKind.Relative), null);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldContain(message);
        var record = (await AuditAsync(name, action)).ShouldHaveSingleItem();
        record.Outcome.ShouldBe(AuditOutcome.Failed);
        record.Actor.ShouldBe(User(Roles.Developer));
        record.Target.ShouldBe(id.ToString());
        record.Channel.ShouldBe("api");
        (await owner.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}")).GetProperty("state").GetString().ShouldBe("succeeded");
    }

    [Theory]
    [InlineData("cancel", "jobs.cancel")]
    [InlineData("retry", "jobs.retry")]
    public async Task CancelOrRetry_ByViewer_403AndOneDeniedAuditRecord(string verb, string action)
    {
        using var owner = await jobs.App.SignInAsync(User(Roles.Developer));
        var (name, id) = await JobsAppFactory.CreateEnvironmentAsync(owner, $"jobs-v{verb}");
        using var viewer = await jobs.App.SignInAsync(User(Roles.Viewer));

        using var response = await viewer.PostAsync(new Uri($"/api/v1/jobs/{id}/{verb}", UriKind.Relative), null);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain(Permissions.JobsManage);
        var record = (await AuditAsync(name, action)).ShouldHaveSingleItem();
        record.Outcome.ShouldBe(AuditOutcome.Denied);
        record.Actor.ShouldBe(User(Roles.Viewer));
    }

    [Theory]
    [InlineData("cancel", "jobs.cancel")]
    [InlineData("retry", "jobs.retry")]
    public async Task CancelOrRetry_ByViewerOfAnotherEnvironment_404AndOneDeniedAuditRecord(string verb, string action)
    {
        using var owner = await jobs.App.SignInAsync(User(Roles.Developer));
        var (name, id) = await JobsAppFactory.CreateEnvironmentAsync(owner, $"jobs-o{verb}");
        using var outsider = await jobs.App.SignInAsync(JobsAppFactory.Outsider);

        using var response = await outsider.PostAsync(new Uri($"/api/v1/jobs/{id}/{verb}", UriKind.Relative), null);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain(name);
        var record = (await AuditAsync(name, action)).ShouldHaveSingleItem();
        record.Outcome.ShouldBe(AuditOutcome.Denied);
        record.Actor.ShouldBe(JobsAppFactory.Outsider);
    }

    [Fact]
    public async Task Cancel_QueuedJob_202CancelRequestedAndOneSucceededAuditRecord()
    {
        using var app = JobsAppFactory.WithSchedulerOff();
        using var owner = await app.SignInAsync(User(Roles.Developer));
        var (name, id) = await JobsAppFactory.CreateEnvironmentAsync(owner, "jobs-queued", "queued");

        using var response = await owner.PostAsync(new Uri($"/api/v1/jobs/{id}/cancel", UriKind.Relative), null);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        response.Headers.Location.ShouldNotBeNull().ToString().ShouldBe($"/api/v1/jobs/{id}");
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        job.GetProperty("cancelRequested").GetBoolean().ShouldBeTrue();
        job.GetProperty("cancelledBy").GetString().ShouldBe(User(Roles.Developer));
        job.GetProperty("state").GetString().ShouldBe("queued", "the runner finishes the cancellation between steps");
        var page = await app.Services.GetRequiredService<IAuditReader>()
            .QueryAsync(new AuditQuery { Environment = name, Action = "jobs.cancel", Take = 50 }, null, true, CancellationToken.None);
        var record = page.Records.Where(r => r.Action == "jobs.cancel").ShouldHaveSingleItem();
        record.Outcome.ShouldBe(AuditOutcome.Succeeded);
        record.Target.ShouldBe(id.ToString());
    }

    [Fact]
    public async Task Cancel_UnknownJob_404AndRecordedAsFailed()
    {
        using var admin = await jobs.App.SignInAsync("admin");
        var id = Guid.NewGuid();

        using var response = await admin.PostAsync(new Uri($"/api/v1/jobs/{id}/cancel", UriKind.Relative), null);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var page = await jobs.App.Services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery { Action = "jobs.cancel", Take = 200 }, null, true, CancellationToken.None);
        page.Records.Where(r => r.Target == id.ToString()).ShouldHaveSingleItem().Outcome.ShouldBe(AuditOutcome.Failed);
    }

    [Fact]
    public async Task OpenApi_DescribesTheJobsEndpoints()
    {
        using var client = jobs.App.CreateClient();

        var paths = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement.GetProperty("paths");

        foreach (var (path, method) in new[]
        {
            ("/api/v1/jobs", "get"), ("/api/v1/jobs/{id}", "get"), ("/api/v1/jobs/{id}/log", "get"),
            ("/api/v1/jobs/{id}/cancel", "post"), ("/api/v1/jobs/{id}/retry", "post"),
        })
        {
            paths.TryGetProperty(path, out var item).ShouldBeTrue(path);
            item.TryGetProperty(method, out _).ShouldBeTrue($"{method} {path}");
        }

        paths.GetProperty("/api/v1/jobs").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()).ShouldBe(["environment", "kind", "state", "user", "from", "to", "skip", "take"], ignoreOrder: true);
    }

    private async Task<IReadOnlyList<AuditRecord>> AuditAsync(string environment, string action)
    {
        var page = await jobs.App.Services.GetRequiredService<IAuditReader>()
            .QueryAsync(new AuditQuery { Environment = environment, Action = action, Take = 50 }, null, true, CancellationToken.None);
        return [.. page.Records.Where(r => r.Action == action)];
    }
}
