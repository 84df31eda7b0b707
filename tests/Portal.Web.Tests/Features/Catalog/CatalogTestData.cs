using System.Net.Http.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Actions;
using Portal.Core.Deployments;
using Portal.Core.Provisioning;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Catalog;

/// <summary>Services registered through the API, releases stored as the deploy job leaves them, pages parsed as served.</summary>
internal static class CatalogTestData
{
    public static object Body(string name, string team = "payments") => new
    {
        name,
        owningTeam = team,
        description = $"{name} for tests",
        imageRepository = $"registry.portal.test/{team}/{name}",
        ports = new[] { new { name = "http", port = 8080, protocol = "TCP" } },
        healthCheckPath = "/healthz",
        defaultReplicas = 2,
    };

    public static async Task CreateAsync(HttpClient client, string name, string team = "payments")
    {
        using var response = await client.PostAsJsonAsync("/api/v1/services", Body(name, team));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A finished release of <paramref name="service"/> in <paramref name="environment"/>, stored directly (no job, no cluster).</summary>
    public static async Task<Release> AddReleaseAsync(PortalAppFactory app, string service, string environment, int number, string version,
        ReleaseState state = ReleaseState.Succeeded, int minutesAgo = 0, string? failureReason = null)
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-minutesAgo);
        var image = $"registry.portal.test/payments/{service}:{version}";
        var release = new Release
        {
            Id = Guid.NewGuid(),
            Service = service,
            Environment = environment,
            Number = number,
            State = state,
            RequestedBy = "m-developer",
            CreatedAt = at,
            StartedAt = at,
            FinishedAt = at.AddSeconds(42),
            FailureReason = failureReason,
            Failure = failureReason is null ? null : $"The rollout failed ({failureReason}).",
            Spec = new DeploySpec { Image = image, Replicas = 2 },
            Manifests =
            [
                new PlannedObject("deployment", "apps/v1", "Deployment", environment, service,
                    $"kind: Deployment\nmetadata:\n  name: {service}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - image: {image}\n"),
                new PlannedObject("service", "v1", "Service", environment, service, $"kind: Service\nmetadata:\n  name: {service}\nspec:\n  ports:\n  - port: 8080\n"),
            ],
        };
        await using var work = app.Services.GetRequiredService<IUnitOfWorkFactory>().Begin();
        work.Releases.Add(release);
        await work.CommitAsync(CancellationToken.None);
        return release;
    }

    public static async Task<IDocument> PageAsync(HttpClient client, string path) =>
        new HtmlParser().ParseDocument(await client.GetStringAsync(new Uri(path, UriKind.Relative)));
}
