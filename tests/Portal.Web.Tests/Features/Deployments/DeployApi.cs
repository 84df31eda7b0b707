using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Portal.Web.Tests.Features.Deployments;

/// <summary>The calls the deployment tests make over the API: a catalog service, a deploy, a wait for a release's state.</summary>
internal static class DeployApi
{
    public const string Registry = "registry.portal.test/shop";

    /// <summary>Registers a service with a unique name (<paramref name="prefix"/> and a suffix) and returns the name.</summary>
    public static async Task<string> CreateServiceAsync(HttpClient client, string prefix, int replicas = 1, string? ingressHostPattern = null)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 9, 40)];
        using var response = await client.PostAsJsonAsync("/api/v1/services", new
        {
            name,
            owningTeam = "shop",
            imageRepository = $"{Registry}/{name}",
            ports = new[] { new { name = "http", port = 8080, protocol = "TCP" } },
            healthCheckPath = "/healthz",
            defaultReplicas = replicas,
            resources = new { cpuRequest = "100m", cpuLimit = "200m", memoryRequest = "64Mi", memoryLimit = "128Mi" },
            ingressHostPattern,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return name;
    }

    /// <summary>POSTs a deploy (or anything else) and returns the status and the JSON answer.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Deploys and expects 202; returns the release.</summary>
    public static async Task<JsonElement> DeployAsync(HttpClient client, string environment, object body)
    {
        var (status, answer) = await PostAsync(client, $"/api/v1/environments/{environment}/deployments", body);
        status.ShouldBe(HttpStatusCode.Accepted, answer.ToString());
        return answer.GetProperty("release");
    }

    public static Task<JsonElement> GetAsync(HttpClient client, string environment, Guid id) =>
        client.GetFromJsonAsync<JsonElement>($"/api/v1/environments/{environment}/deployments/{id}");

    /// <summary>Polls the release until it is in <paramref name="state"/> (60 s at most); one that finishes otherwise fails at once.</summary>
    public static async Task<JsonElement> WaitForStateAsync(HttpClient client, string environment, Guid id, string state)
    {
        JsonElement release = default;
        await EventuallyAsync(async () =>
        {
            release = await GetAsync(client, environment, id);
            var current = release.GetProperty("state").GetString();
            if (current != state && current is "succeeded" or "failed" or "cancelled" or "rejected")
            {
                throw new ShouldAssertException($"release {id} finished {current}, not {state}: {release.GetProperty("failure")}");
            }

            return current == state;
        }, $"release {id} to be {state}");
        return release;
    }

    /// <summary>Deploys and waits for success; returns the succeeded release.</summary>
    public static async Task<JsonElement> DeploySucceededAsync(HttpClient client, string environment, object body)
    {
        var release = await DeployAsync(client, environment, body);
        return await WaitForStateAsync(client, environment, release.GetProperty("id").GetGuid(), "succeeded");
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what = "the condition")
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"waited 60 s for {what}");
            }

            await Task.Delay(200);
        }
    }
}
