using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Authorization;
using Portal.Core.Jobs;
using Portal.Web.Tests.Authorization;
using Portal.Web.Tests.Hosting;
using YamlDotNet.RepresentationModel;

namespace Portal.Web.Tests.Features.Environments;

/// <summary>POST /api/v1/environments/preview: what creation would apply, rendered, with create's validation and authorization, storing nothing.</summary>
public sealed class PreviewApiTests(MatrixAppFactory matrix) : IClassFixture<MatrixAppFactory>
{
    [Fact]
    public async Task Preview_ValidRequest_RendersEveryPartAndStoresNothing()
    {
        using var admin = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.PortalAdmin));

        using var response = await admin.PostAsJsonAsync("/api/v1/environments/preview",
            Body("pv-full", quota: new { cpu = "2", memory = "4Gi", pods = 12 }));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var objects = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        var ns = Yaml(Single(objects, "Namespace").GetProperty("yaml").GetString()!);
        var labels = (YamlMappingNode)Node(ns, "metadata", "labels");
        Scalar(labels, "portal.dev/environment").ShouldBe("pv-full");
        Scalar(labels, "portal.dev/tier").ShouldBe("dev");
        Scalar(labels, "portal.dev/team").ShouldBe("payments");
        Scalar(labels, "portal.dev/cost-centre").ShouldBe("cc-1001");
        var hard = (YamlMappingNode)Node(Yaml(Single(objects, "ResourceQuota").GetProperty("yaml").GetString()!), "spec", "hard");
        (Scalar(hard, "requests.cpu"), Scalar(hard, "requests.memory"), Scalar(hard, "pods")).ShouldBe(("2", "4Gi", "12"));
        Single(objects, "LimitRange").GetProperty("namespace").GetString().ShouldBe("pv-full");
        objects.Count(o => o.GetProperty("kind").GetString() == "RoleBinding").ShouldBe(4);
        objects.Count(o => o.GetProperty("kind").GetString() == "NetworkPolicy").ShouldBe(3);
        objects.ShouldAllBe(o => o.GetProperty("part").GetString()!.Length > 0);

        (await admin.GetAsync(new Uri("/api/v1/environments/pv-full", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var jobs = await matrix.App.Services.GetRequiredService<IJobStore>().ListAsync(new JobQuery { Environment = "pv-full" }, CancellationToken.None);
        jobs.Total.ShouldBe(0);
    }

    [Fact]
    public async Task Preview_NoQuota_TakesTheTiersDefaults()
    {
        using var admin = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.PortalAdmin));

        var objects = (await (await admin.PostAsJsonAsync("/api/v1/environments/preview", Body("pv-defaults"))).Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();

        var hard = (YamlMappingNode)Node(Yaml(Single(objects, "ResourceQuota").GetProperty("yaml").GetString()!), "spec", "hard");
        (Scalar(hard, "requests.cpu"), Scalar(hard, "requests.memory"), Scalar(hard, "pods")).ShouldBe(("4", "8Gi", "30"));
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { """{"name":"pv-bad-1","displayName":"x","tier":"dev","owningTeam":"payments","costCentre":"cc-1001","labels":{"-x":"y"}}""", "labels.-x" },
        { """{"name":"pv-bad-2","displayName":"x","tier":"dev","owningTeam":"payments","costCentre":"cc-1001","timeToLiveHours":337}""", "timeToLiveHours" },
        { """{"name":"pv-bad-3","displayName":"x","tier":"dev","owningTeam":"payments","costCentre":"cc-1001","quota":{"cpu":"lots"}}""", "quota.cpu" },
        { """{"name":"pv-bad-4","displayName":"x","tier":"dev","owningTeam":"payments","costCentre":"cc-1001","quota":{"pods":"many"}}""", "quota.pods" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Preview_BadInput_400NamingTheField(string json, string field)
    {
        using var admin = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.PortalAdmin));

        using var response = await admin.PostAsync(new Uri("/api/v1/environments/preview", UriKind.Relative), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var body = await response.Content.ReadAsStringAsync();
        JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(body);
    }

    [Fact]
    public async Task Preview_DeveloperAskingForProd_403()
    {
        using var developer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));

        using var response = await developer.PostAsJsonAsync("/api/v1/environments/preview", Body("pv-prod", tier: "prod"));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("permission").GetString().ShouldBe(Permissions.EnvironmentsCreate);
    }

    [Fact]
    public async Task Preview_DeveloperOnDev_Allowed()
    {
        using var developer = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.Developer));

        (await developer.PostAsJsonAsync("/api/v1/environments/preview", Body("pv-dev"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Patch_QuotaNotAQuantity_400NamingTheFieldNothingChanged()
    {
        using var admin = await matrix.App.SignInAsync(MatrixAppFactory.UserFor(Roles.PortalAdmin));
        var before = await admin.GetFromJsonAsync<JsonElement>("/api/v1/environments/test");

        using var response = await admin.PatchAsJsonAsync("/api/v1/environments/test", new { quota = new { cpu = "lots" } });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync();
        JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty("quota.cpu", out _).ShouldBeTrue(body);
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/environments/test")).GetProperty("version").GetInt32().ShouldBe(before.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task OpenApi_DescribesPreviewAndApprovals()
    {
        using var client = matrix.App.CreateClient();

        var paths = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement.GetProperty("paths");

        paths.GetProperty("/api/v1/environments/preview").TryGetProperty("post", out _).ShouldBeTrue();
        paths.GetProperty("/api/v1/approvals").TryGetProperty("get", out _).ShouldBeTrue();
        paths.GetProperty("/api/v1/approvals/{id}/approve").TryGetProperty("post", out _).ShouldBeTrue();
        paths.GetProperty("/api/v1/approvals/{id}/reject").TryGetProperty("post", out _).ShouldBeTrue();
    }

    internal static object Body(string name, string tier = "dev", object? quota = null) =>
        new { name, displayName = name, tier, owningTeam = "payments", costCentre = "cc-1001", quota };

    private static JsonElement Single(List<JsonElement> objects, string kind) => objects.Single(o => o.GetProperty("kind").GetString() == kind);

    private static YamlMappingNode Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode Node(YamlMappingNode map, params string[] path) =>
        path.Aggregate((YamlNode)map, (node, key) => ((YamlMappingNode)node).Children[new YamlScalarNode(key)]);

    private static string? Scalar(YamlMappingNode map, string key) => ((YamlScalarNode)map.Children[new YamlScalarNode(key)]).Value;
}
