using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Authorization;
using Portal.Core.Jobs;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Features.Workloads;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Environments;

/// <summary>PATCH with a quota, against the sandbox: the new quota is stored and applied by an update job; one below what runs is refused.</summary>
public sealed class QuotaApiTests(SandboxAppFactory sandbox) : IClassFixture<SandboxAppFactory>
{
    [Fact]
    public async Task Patch_Quota_StoredAndAppliedByAnUpdateJob()
    {
        using var admin = await sandbox.App.SignInAsync(MatrixAppFactory.UserFor(Roles.PortalAdmin));

        using var response = await admin.PatchAsJsonAsync("/api/v1/environments/staging", new { quota = new { cpu = "6", memory = "12Gi", pods = 40 } });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var quota = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("quota");
        (quota.GetProperty("cpu").GetString(), quota.GetProperty("memory").GetString(), quota.GetProperty("pods").GetInt32()).ShouldBe(("6", "12Gi", 40));
        var jobs = await sandbox.App.Services.GetRequiredService<IJobStore>().ListAsync(new JobQuery { Environment = "staging" }, CancellationToken.None);
        jobs.Items.ShouldContain(j => j.Kind == "environment.update");
    }

    [Fact]
    public async Task Patch_QuotaBelowWhatRuns_400NamingTheField()
    {
        using var admin = await sandbox.App.SignInAsync(MatrixAppFactory.UserFor(Roles.PortalAdmin));
        await WorkloadsApiTests.EventuallyAsync(async () =>
        {
            var pods = await admin.GetFromJsonAsync<JsonElement>("/api/v1/environments/prod/pods");
            return pods.GetArrayLength() > 1 ? pods : null;
        });

        // All three parts: the seeded prod has no quota of its own, and a partial one does not fall back to the tier's defaults (yet).
        using var response = await admin.PatchAsJsonAsync("/api/v1/environments/prod", new { quota = new { cpu = "4", memory = "8Gi", pods = 1 } });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync();
        JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty("quota.pods", out _).ShouldBeTrue(body);
    }
}
