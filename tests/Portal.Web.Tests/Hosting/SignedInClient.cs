using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Portal.Web.Tests.Hosting;

/// <summary>Signs in through the real sign-in page and form (antiforgery token included), as a browser would.</summary>
public static partial class SignedInClient
{
    public const string DemoPassword = "portal-demo";

    public static HttpClient CreateAnonymousClient(this WebApplicationFactory<Program> factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<HttpClient> SignInAsync(this WebApplicationFactory<Program> factory, string user, string password = DemoPassword)
    {
        var client = factory.CreateAnonymousClient();
        var response = await PostLoginAsync(client, user, password);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString() != "/")
        {
            throw new InvalidOperationException($"Sign-in as {user} failed: {(int)response.StatusCode} {response.Headers.Location}");
        }

        return client;
    }

    /// <summary>GET the sign-in page for its antiforgery token, then POST the form. Returns the raw answer (a redirect).</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string user, string password, string returnUrl = "/")
    {
        var page = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["UserName"] = user,
            ["Password"] = password,
            ["ReturnUrl"] = returnUrl,
        });
        return await client.PostAsync(new Uri("/account/sign-in", UriKind.Relative), form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
