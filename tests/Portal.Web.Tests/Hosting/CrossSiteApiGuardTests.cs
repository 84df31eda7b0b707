using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Portal.Web.Tests.Hosting;

/// <summary>A cookie-authenticated API call from another origin's page is refused; same-origin and non-browser calls pass.</summary>
public sealed class CrossSiteApiGuardTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]        // a sibling subdomain: SameSite=Lax would send the cookie
    [InlineData("Origin", "https://evil.example")]     // a browser without fetch metadata
    [InlineData("Origin", "null")]
    public async Task CookieCallFromAnotherOrigin_403ProblemAndNothingDone(string header, string value)
    {
        using var client = await factory.SignInAsync("dev");
        var name = $"x{Guid.NewGuid():N}"[..10];
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/me/tokens", UriKind.Relative)) { Content = JsonContent.Create(new { name }) };
        request.Headers.Add(header, value);

        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType.ShouldNotBeNull().MediaType.ShouldBe("application/problem+json");
        (await TokenNamesAsync(client)).ShouldNotContain(name);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData("Origin", "http://localhost")]
    [InlineData(null, null)]                           // curl with a session cookie
    public async Task CookieCallFromThisOrigin_Passes(string? header, string? value)
    {
        using var client = await factory.SignInAsync("dev");
        var name = $"x{Guid.NewGuid():N}"[..10];
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/me/tokens", UriKind.Relative)) { Content = JsonContent.Create(new { name }) };
        if (header is not null)
        {
            request.Headers.Add(header, value);
        }

        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        (await TokenNamesAsync(client)).ShouldContain(name);
    }

    [Fact]
    public async Task CrossSiteRead_IsNotRefused()
    {
        using var client = await factory.SignInAsync("dev");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/me", UriKind.Relative));
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, "reads change nothing, and without CORS another site cannot see the answer");
    }

    private static async Task<List<string?>> TokenNamesAsync(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<JsonElement>("/api/v1/me/tokens")).EnumerateArray().Select(t => t.GetProperty("name").GetString())];
}
