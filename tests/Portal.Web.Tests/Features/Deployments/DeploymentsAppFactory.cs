using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Core.Authorization;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Features.Workloads;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Deployments;

/// <summary>
/// The sandbox app (demo environments dev, test, staging, prod; one user per role) with rollouts watched every
/// 200 ms and pods available after 4 s of readiness, plus <see cref="QuotaEnvironment"/>: a dev environment of <see cref="Developer"/>'s with a small quota
/// (2 CPU, 4Gi, 10 pods), which they own and so may change.
/// </summary>
public sealed class DeploymentsAppFactory : IAsyncLifetime, IDisposable
{
    public static readonly string Developer = MatrixAppFactory.UserFor(Roles.Developer);
    public static readonly string Operator = MatrixAppFactory.UserFor(Roles.Operator);
    public static readonly string Admin = MatrixAppFactory.UserFor(Roles.PortalAdmin);

    private readonly SandboxAppFactory _sandbox = new();
    private readonly Lazy<Task<FailedScenario>> _failed;

    public DeploymentsAppFactory()
    {
        _failed = new(CreateFailedScenarioAsync);
        App.Settings["Deployments:PollInterval"] = "00:00:00.200";
        App.Settings["Deployments:ReadinessTimeout"] = "00:00:30";
        App.Settings["Deployments:UnschedulableGrace"] = "00:00:05";

        // Long enough that a sandbox "crash" image (ready after 2 s, exiting after 4 s) never counts as available.
        App.Settings["Deployments:MinReadySeconds"] = "4";
    }

    public PortalAppFactory App => _sandbox.App;

    public string QuotaEnvironment { get; } = $"dq-{Guid.NewGuid():N}"[..14];

    public async Task InitializeAsync()
    {
        using var developer = await App.SignInAsync(Developer);
        using var created = await developer.PostAsJsonAsync("/api/v1/environments", new
        {
            name = QuotaEnvironment, displayName = "Deploy quota", tier = "dev", owningTeam = "payments", costCentre = "cc-1001",
            quota = new { cpu = "2", memory = "4Gi", pods = 10 },
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        await DeployApi.EventuallyAsync(async () =>
            (await developer.GetFromJsonAsync<JsonElement>($"/api/v1/environments/{QuotaEnvironment}")).GetProperty("status").GetString() == "ready");
    }

    /// <summary>
    /// Made once for the pages' tests: a service with a good release (#1, 1.0.0) and a failed one after it
    /// (#2, a <c>bad</c> tag: ImagePullBackOff) in dev.
    /// </summary>
    public Task<FailedScenario> FailedScenarioAsync() => _failed.Value;

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _sandbox.Dispose();

    private async Task<FailedScenario> CreateFailedScenarioAsync()
    {
        using var developer = await App.SignInAsync(Developer);
        var service = await DeployApi.CreateServiceAsync(developer, "dp-page");
        var good = await DeployApi.DeploySucceededAsync(developer, "dev", new { service, version = "1.0.0" });
        var bad = await DeployApi.DeployAsync(developer, "dev", new { service, version = "1.1.0-bad" });
        await DeployApi.WaitForStateAsync(developer, "dev", bad.GetProperty("id").GetGuid(), "failed");
        return new FailedScenario(service, good.GetProperty("id").GetGuid(), bad.GetProperty("id").GetGuid());
    }
}

/// <summary>A service in dev whose release #1 succeeded and #2 failed.</summary>
public sealed record FailedScenario(string Service, Guid Good, Guid Failed);

/// <summary>The deployment tests share one sandbox app (and run one after the other): rollouts are timed, and a 2-core machine runs one sandbox well.</summary>
[CollectionDefinition(Name)]
public sealed class DeploymentsCollection : ICollectionFixture<DeploymentsAppFactory>
{
    public const string Name = "deployments";
}
