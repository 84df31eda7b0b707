using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Persistence.DataProtection;
using Portal.Testing;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.SignIn;

/// <summary>
/// The session cookie is protected with Data Protection keys kept in Portal's database: a restart signs nobody out,
/// and any replica on the same database accepts a cookie another one issued. Each app here is a host of its own (its
/// own key ring cache and services), sharing only the data directory, and so the database.
/// </summary>
public sealed class SessionKeysTests : IDisposable
{
    private const string SessionCookie = "portal-session";
    private readonly TempDirectory _shared = new("portal-keys");
    private readonly TempDirectory _other = new("portal-keys-other");

    [Fact]
    public async Task SessionCookie_IssuedBeforeARestart_StillSignsInAfterIt()
    {
        string cookie;
        using (var before = PortalAppFactory.ForDataDirectory(_shared.Path))
        {
            cookie = await SessionCookieAsync(before, "dev");
            (await MeAsync(before, cookie)).ShouldBe("dev");
            before.Services.GetRequiredService<DatabaseXmlRepository>().GetAllElements().ShouldNotBeEmpty("the key is stored in the database");
        }

        using var after = PortalAppFactory.ForDataDirectory(_shared.Path);

        (await MeAsync(after, cookie)).ShouldBe("dev");
    }

    [Fact]
    public async Task SessionCookie_IssuedByOneReplica_IsAcceptedByAnotherOnTheSameDatabase()
    {
        using var first = PortalAppFactory.ForDataDirectory(_shared.Path);
        var fromFirst = await SessionCookieAsync(first, "dev");
        using var second = PortalAppFactory.ForDataDirectory(_shared.Path);
        var fromSecond = await SessionCookieAsync(second, "oncall");

        (await MeAsync(second, fromFirst)).ShouldBe("dev");
        (await MeAsync(first, fromSecond)).ShouldBe("oncall");
    }

    [Fact]
    public async Task SessionCookie_FromAPortalOnAnotherDatabase_IsRefused()
    {
        // The negative control: on Linux, Data Protection's fallback key store is a per-user directory that two
        // apps named "Portal" would share; only the database keeps installations apart, and this shows it does.
        using var first = PortalAppFactory.ForDataDirectory(_shared.Path);
        var cookie = await SessionCookieAsync(first, "dev");
        using var stranger = PortalAppFactory.ForDataDirectory(_other.Path);

        (await MeAsync(stranger, cookie)).ShouldBeNull();
    }

    public void Dispose()
    {
        _shared.Dispose();
        _other.Dispose();
    }

    /// <summary>Signs in through the real form and returns the session cookie as a browser would send it back.</summary>
    private static async Task<string> SessionCookieAsync(PortalAppFactory app, string user)
    {
        using var client = app.CreateAnonymousClient();
        var response = await SignedInClient.PostLoginAsync(client, user, SignedInClient.DemoPassword);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var cookies = response.Headers.GetValues("Set-Cookie")
            .Select(c => c.Split(';')[0])
            .Where(c => c.StartsWith(SessionCookie, StringComparison.Ordinal))
            .ToList();
        cookies.ShouldNotBeEmpty($"signing in as {user} set {SessionCookie}");
        return string.Join("; ", cookies);
    }

    /// <summary>Who <paramref name="cookie"/> signs in as on <paramref name="app"/>, or null when it is refused.</summary>
    private static async Task<string?> MeAsync(PortalAppFactory app, string cookie)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/me", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return null;
        }

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["userName"];
    }
}
