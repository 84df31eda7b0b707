using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Deployments;

/// <summary>
/// What happens after a deploy waits for a second person (approved: it rolls out; refused: nothing is applied), and
/// a CI pipeline's one call with a personal access token, limited to the environments the token names.
/// </summary>
[Collection(DeploymentsCollection.Name)]
public sealed class DeployApprovalTests(DeploymentsAppFactory deployments)
{
    private PortalAppFactory App => deployments.App;

    [Fact]
    public async Task ProdDeploy_ApprovedByASecondPerson_RollsOut_NeitherTheRequesterNorAnOperatorMayApprove()
    {
        using var admin = await App.SignInAsync(DeploymentsAppFactory.Admin);
        using var op = await App.SignInAsync(DeploymentsAppFactory.Operator);
        using var owner = await App.SignInAsync(Portal.Web.Tests.Authorization.MatrixAppFactory.UserFor(Portal.Core.Authorization.Roles.Owner));
        var service = await DeployApi.CreateServiceAsync(admin, "dp-appr");
        var release = await DeployApi.DeployAsync(admin, "prod", new { service, version = "2.0.0" });
        var id = release.GetProperty("id").GetGuid();
        release.GetProperty("state").GetString().ShouldBe("awaitingApproval");
        var approval = await PendingFor(admin, id);

        using (var own = await admin.PostAsync($"/api/v1/approvals/{approval}/approve", null))
        {
            own.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await own.Content.ReadAsStringAsync()).ShouldContain("a second person must approve it");
        }

        using (var operatorTry = await op.PostAsync($"/api/v1/approvals/{approval}/approve", null))
        {
            operatorTry.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "approving needs Owner");
        }

        using (var approved = await owner.PostAsJsonAsync($"/api/v1/approvals/{approval}/approve", new { comment = "change 4711" }))
        {
            approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
            (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid().ShouldNotBe(Guid.Empty);
        }

        var done = await DeployApi.WaitForStateAsync(admin, "prod", id, "succeeded");
        done.GetProperty("image").GetString().ShouldEndWith(":2.0.0");
        done.GetProperty("jobId").GetGuid().ShouldNotBe(Guid.Empty);
    }

    [Fact]
    public async Task ProdDeploy_Rejected_ReleaseRejectedAndNothingApplied()
    {
        using var op = await App.SignInAsync(DeploymentsAppFactory.Operator);
        using var admin = await App.SignInAsync(DeploymentsAppFactory.Admin);
        var service = await DeployApi.CreateServiceAsync(op, "dp-rej");
        var id = (await DeployApi.DeployAsync(op, "prod", new { service, version = "2.0.0" })).GetProperty("id").GetGuid();

        using (var rejected = await admin.PostAsJsonAsync($"/api/v1/approvals/{await PendingFor(op, id)}/reject", new { comment = "not in the freeze" }))
        {
            rejected.StatusCode.ShouldBe(HttpStatusCode.OK, await rejected.Content.ReadAsStringAsync());
        }

        var release = await DeployApi.GetAsync(op, "prod", id);
        release.GetProperty("state").GetString().ShouldBe("rejected");
        release.GetProperty("failure").GetString().ShouldBe($"Not approved by {DeploymentsAppFactory.Admin}.");
        (await op.GetFromJsonAsync<JsonElement>("/api/v1/environments/prod/workloads")).EnumerateArray()
            .ShouldNotContain(w => w.GetProperty("name").GetString() == service);

        // The service is free again: the next deploy is not refused as "still awaiting approval".
        (await DeployApi.PostAsync(op, "/api/v1/environments/prod/deployments", new { service, version = "2.0.1" })).Status.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Ci_OneCallWithAToken_Deploys_ATokenForAnotherEnvironmentCannot()
    {
        using var developer = await App.SignInAsync(DeploymentsAppFactory.Developer);
        var service = await DeployApi.CreateServiceAsync(developer, "dp-ci");
        using var ci = Bearer(await TokenAsync(developer, new { name = "ci", environments = new[] { "dev" } }));
        using var other = Bearer(await TokenAsync(developer, new { name = "ci-test", environments = new[] { "test" } }));

        using var response = await ci.PostAsync("/api/v1/environments/dev/deployments",
            new StringContent($$"""{"service":"{{service}}","version":"3.1.0"}""", System.Text.Encoding.UTF8, "application/json"));
        using var refused = await other.PostAsJsonAsync("/api/v1/environments/dev/deployments", new { service, version = "3.1.1" });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        response.Headers.Location!.ToString().ShouldStartWith("/api/v1/environments/dev/deployments/");
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("release").GetProperty("id").GetGuid();
        (await DeployApi.WaitForStateAsync(ci, "dev", id, "succeeded")).GetProperty("requestedBy").GetString().ShouldBe(DeploymentsAppFactory.Developer);
        refused.StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);
        (await refused.Content.ReadAsStringAsync()).ShouldNotContain("3.1.1\",\"state\"");
    }

    private static async Task<Guid> PendingFor(HttpClient client, Guid release) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/approvals?state=pending")).EnumerateArray()
            .Single(r => r.GetProperty("release").ValueKind == JsonValueKind.String && r.GetProperty("release").GetGuid() == release)
            .GetProperty("id").GetGuid();

    private static async Task<string> TokenAsync(HttpClient client, object request)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/me/tokens", request);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private HttpClient Bearer(string token)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
