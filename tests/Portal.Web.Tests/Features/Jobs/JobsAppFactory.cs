using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Features.Workloads;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Jobs;

/// <summary>
/// The sandbox app (its cluster provisions new environments through jobs) with one user per role on all environments,
/// plus <see cref="Outsider"/>: a Viewer of the <c>test</c> environment only, who must not see other environments' jobs.
/// </summary>
public sealed class JobsAppFactory : IAsyncLifetime, IDisposable
{
    public const string Outsider = "jobs-outsider";

    private readonly SandboxAppFactory _sandbox = new();

    public JobsAppFactory()
    {
        App.Settings["SignIn:Local:Accounts:30:UserName"] = Outsider;
        App.Settings["SignIn:Local:Accounts:30:DisplayName"] = "Jobs Outsider";
        App.Settings["SignIn:Local:Accounts:30:Password"] = SignedInClient.DemoPassword;
    }

    public PortalAppFactory App => _sandbox.App;

    public async Task InitializeAsync()
    {
        using var admin = await App.SignInAsync("admin");
        using var granted = await admin.PostAsJsonAsync("/api/v1/environments/test/access", new { subjectKind = "user", subject = Outsider, role = "Viewer" });
        granted.StatusCode.ShouldBe(HttpStatusCode.Created, await granted.Content.ReadAsStringAsync());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _sandbox.Dispose();

    /// <summary>
    /// The app without the sandbox and with the scheduler off (one user per role): a job stays Queued, so what is shown
    /// and allowed for an unfinished job can be seen.
    /// </summary>
    public static PortalAppFactory WithSchedulerOff()
    {
        var app = new PortalAppFactory();
        app.Settings["Jobs:Enabled"] = "false";
        MatrixAppFactory.AddRoleUsers(app);
        return app;
    }

    /// <summary>
    /// Creates a dev environment as <paramref name="client"/>'s user and returns it with its creation job, once that
    /// job is in <paramref name="state"/>.
    /// </summary>
    public static async Task<(string Environment, Guid Job)> CreateEnvironmentAsync(HttpClient client, string prefix, string state = "succeeded")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..20];
        using var created = await client.PostAsJsonAsync("/api/v1/environments", new { name, displayName = name, tier = "dev", owningTeam = "payments", costCentre = "cc-1001" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        var list = await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs?environment={name}");
        var id = list.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid();
        await WaitForStateAsync(client, id, state);
        return (name, id);
    }

    /// <summary>Polls the job until it is in <paramref name="state"/> (30 s at most); a job that finishes otherwise fails at once.</summary>
    public static Task<JsonElement> WaitForStateAsync(HttpClient client, Guid id, string state) => WorkloadsApiTests.EventuallyAsync(async () =>
    {
        var job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}");
        var current = job.GetProperty("state").GetString();
        if (current != state && current is "succeeded" or "failed" or "cancelled")
        {
            throw new ShouldAssertException($"job {id} finished {current}, not {state}: {job.GetProperty("error")}");
        }

        return current == state ? job : null;
    });
}
