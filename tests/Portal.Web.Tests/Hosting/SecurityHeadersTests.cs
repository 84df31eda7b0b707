using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Portal.Web.Tests.Hosting;

/// <summary>The security headers on every kind of response, HSTS, and the cookie flags in Development and Production.</summary>
public sealed partial class SecurityHeadersTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Theory]
    [InlineData("/")]                      // a page
    [InlineData("/api/v1/me")]             // the API
    [InlineData("/app.css")]               // a static file
    [InlineData("/no-such-page")]          // the HTML not-found page
    [InlineData("/api/v1/no-such-thing")]  // the API's problem+json 404
    [InlineData("/healthz")]
    [InlineData("/account/login")]         // anonymous
    public async Task AnyResponse_CarriesEverySecurityHeader(string path)
    {
        using var client = await factory.SignInAsync("viewer");

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        var csp = Header(response, "Content-Security-Policy");
        foreach (var directive in new[]
        {
            "default-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'",
            "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
        })
        {
            csp.Split(';', StringSplitOptions.TrimEntries).ShouldContain(directive, $"{path}: {csp}");
        }

        ScriptSource().IsMatch(csp).ShouldBeTrue($"script-src is 'self' and a nonce only: {csp}");
        Header(response, "X-Content-Type-Options").ShouldBe("nosniff");
        Header(response, "X-Frame-Options").ShouldBe("DENY");
        Header(response, "Referrer-Policy").ShouldBe("same-origin");
        Header(response, "Cross-Origin-Opener-Policy").ShouldBe("same-origin");
        Header(response, "Permissions-Policy").ShouldContain("camera=()");
        response.Headers.Contains("X-Powered-By").ShouldBeFalse();
        response.Headers.Contains("Strict-Transport-Security").ShouldBeFalse("no HSTS in Development");
    }

    [Fact]
    public async Task Page_EveryInlineScriptCarriesThisResponsesNonce_AndTheNonceIsFreshEachTime()
    {
        using var client = await factory.SignInAsync("viewer");

        using var first = await client.GetAsync(new Uri("/", UriKind.Relative));
        using var second = await client.GetAsync(new Uri("/", UriKind.Relative));

        var html = await first.Content.ReadAsStringAsync();
        var nonce = Nonce(first);
        var inline = ScriptTag().Matches(html).Select(m => m.Value).Where(tag => !tag.Contains(" src=", StringComparison.Ordinal)).ToList();
        inline.ShouldNotBeEmpty("the import map is an inline script");
        inline.ShouldAllBe(tag => tag.Contains($"nonce=\"{nonce}\"", StringComparison.Ordinal));
        Nonce(second).ShouldNotBe(nonce);
    }

    [Fact]
    public void Kestrel_SendsNoServerHeader()
    {
        factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.AddServerHeader.ShouldBeFalse();
    }

    [Fact]
    public async Task Production_Https_SendsHsts_PlainHttpDoesNot()
    {
        using var production = Production(factory);
        using var https = production.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://portal.example/"), AllowAutoRedirect = false });
        using var http = production.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://portal.example/"), AllowAutoRedirect = false });

        using var secure = await https.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var plain = await http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Header(secure, "Strict-Transport-Security").ShouldBe("max-age=31536000");
        plain.Headers.Contains("Strict-Transport-Security").ShouldBeFalse("HSTS only on https (RFC 6797 7.2)");
    }

    [Fact]
    public async Task Development_Cookies_HttpOnlyLaxOrStrict_SecureOnlyOverHttps()
    {
        using var http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var https = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost/"), AllowAutoRedirect = false, HandleCookies = false });

        var overHttp = await SignInCookiesAsync(http);
        var overHttps = await SignInCookiesAsync(https);

        overHttp.Count.ShouldBe(2, string.Join(" | ", overHttp));
        overHttp.ShouldAllBe(c => c.Contains("; httponly", StringComparison.OrdinalIgnoreCase) && !c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        overHttp.ShouldAllBe(c => c.Contains("; samesite=lax", StringComparison.OrdinalIgnoreCase) || c.Contains("; samesite=strict", StringComparison.OrdinalIgnoreCase));
        overHttps.Count.ShouldBe(2, string.Join(" | ", overHttps));
        overHttps.ShouldAllBe(c => c.Contains("; secure", StringComparison.OrdinalIgnoreCase) && c.Contains("; httponly", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("true", false)]
    public async Task Production_PlainHttp_CookiesSecureUnlessAllowHttpCookies(string? allowHttp, bool secure)
    {
        using var production = Production(factory, allowHttp);
        using var client = production.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        using var page = await client.GetAsync(new Uri("/account/login", UriKind.Relative));

        var antiforgery = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        antiforgery.Contains("; secure", StringComparison.OrdinalIgnoreCase).ShouldBe(secure, antiforgery);
        antiforgery.ShouldContain("; httponly", Case.Insensitive);
    }

    /// <summary>The antiforgery cookie from the sign-in page and the session cookie from signing in, as set.</summary>
    private static async Task<List<string>> SignInCookiesAsync(HttpClient client)
    {
        var cookies = new List<string>();
        using var page = await client.GetAsync(new Uri("/account/login", UriKind.Relative));
        cookies.AddRange(page.Headers.GetValues("Set-Cookie"));
        var token = AntiforgeryField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["UserName"] = "dev", ["Password"] = SignedInClient.DemoPassword, ["ReturnUrl"] = "/",
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/account/sign-in", UriKind.Relative)) { Content = form };
        request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        using var signIn = await client.SendAsync(request);
        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        cookies.AddRange(signIn.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("portal-session=", StringComparison.Ordinal)));
        return cookies;
    }

    private static WebApplicationFactory<Program> Production(PortalAppFactory factory, string? allowHttpCookies = null) =>
        factory.WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            if (allowHttpCookies is not null)
            {
                b.UseSetting("Security:AllowHttpCookies", allowHttpCookies);
            }
        });

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new ShouldAssertException($"{name} is missing ({(int)response.StatusCode} {response.RequestMessage?.RequestUri})");

    private static string Nonce(HttpResponseMessage response) => ScriptSource().Match(Header(response, "Content-Security-Policy")).Groups[1].Value;

    [GeneratedRegex(@"script-src 'self' 'nonce-([A-Za-z0-9_-]{24})'(;|$)")]
    private static partial Regex ScriptSource();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
