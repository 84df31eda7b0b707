using System.Text.Json;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Api;

public sealed class OpenApiTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task Document_DescribesEveryIssue3Endpoint()
    {
        using var client = factory.CreateClient();

        var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement;

        document.GetProperty("info").GetProperty("title").GetString().ShouldBe("Portal API");
        var paths = document.GetProperty("paths");
        foreach (var (path, method) in new[]
        {
            ("/api/v1/environments", "get"), ("/api/v1/environments", "post"),
            ("/api/v1/environments/{name}", "get"), ("/api/v1/environments/{name}", "patch"), ("/api/v1/environments/{name}", "delete"),
            ("/api/v1/environments/{name}/access", "get"), ("/api/v1/environments/{name}/access", "post"),
            ("/api/v1/environments/{name}/access/{id}", "delete"),
            ("/api/v1/me", "get"), ("/api/v1/me/tokens", "post"), ("/api/v1/audit", "get"),
        })
        {
            paths.TryGetProperty(path, out var item).ShouldBeTrue(path);
            item.TryGetProperty(method, out _).ShouldBeTrue($"{method} {path}");
        }

        paths.GetProperty("/api/v1/environments").GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .TryGetProperty("application/json", out _).ShouldBeTrue();
    }
}
