using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portal.Benchmarks;

/// <summary>
/// What the scale benchmarks (issue 10) share: a <c>scale</c> environment whose namespace runs a Deployment of
/// <c>pods</c> replicas on nodes added to the sandbox for them, and a signed-in browser session.
/// </summary>
internal static partial class ScaleEnvironment
{
    public const string Name = "scale";

    /// <summary>
    /// Adds nodes (110 pods each), the namespace, the environment <paramref name="name"/> on it and a Deployment of
    /// <paramref name="pods"/> replicas, and waits until every pod runs.
    /// </summary>
    public static async Task PrepareAsync(HttpClient kube, string baseUrl, string token, int pods, string name = Name, TimeSpan? timeout = null)
    {
        for (var n = 0; n < (pods / 100) + 2; n++)
        {
            await PostAsync(kube, "/api/v1/nodes", $$$$"""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{{name}}}}-node-{{{{n}}}}","labels":{"node.kubernetes.io/instance-type":"m5.large"}},
                 "status":{"capacity":{"cpu":"16","memory":"64Gi","pods":"110"},"allocatable":{"cpu":"16","memory":"64Gi","pods":"110"},
                           "conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.32.0"}}}
                """);
        }

        await PostAsync(kube, "/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{name}}}"}}""");
        using var portal = Api(baseUrl, token);
        (await portal.PostAsync(new Uri("/api/v1/environments", UriKind.Relative), new StringContent(
            $$"""{"name":"{{name}}","displayName":"{{name}}","tier":"dev","namespace":"{{name}}","owningTeam":"perf","costCentre":"cc-9"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await PostAsync(kube, $"/apis/apps/v1/namespaces/{name}/deployments", $$$$$"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"bulk","namespace":"{{{{{name}}}}}"},
             "spec":{"replicas":{{{{{pods}}}}},"selector":{"matchLabels":{"app":"bulk"}},
                     "template":{"metadata":{"labels":{"app":"bulk"}},"spec":{"containers":[{"name":"bulk","image":"registry.portal.test/bulk:1","resources":{"requests":{"cpu":"1m","memory":"1Mi"}}}]}}}}
            """);
        await WaitRunningAsync(baseUrl, token, pods, name, timeout);
    }

    /// <summary>Waits until the portal at <paramref name="baseUrl"/> lists <paramref name="pods"/> running pods in the environment.</summary>
    public static async Task WaitRunningAsync(string baseUrl, string token, int pods, string name = Name, TimeSpan? timeout = null)
    {
        using var portal = Api(baseUrl, token);
        var limit = timeout ?? TimeSpan.FromMinutes(5);
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            using var response = await portal.GetAsync(new Uri($"/api/v1/environments/{name}/pods", UriKind.Relative));
            var running = response.IsSuccessStatusCode
                ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Count(p => p.GetProperty("status").GetString() == "Running")
                : 0;
            if (running >= pods)
            {
                return;
            }

            Console.Error.WriteLine($"{baseUrl}: {running} of {pods} pods running");
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{pods} pods did not run within {limit.TotalMinutes:0} minutes");
            }

            await Task.Delay(3000);
        }
    }

    public static HttpClient Api(string baseUrl, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>Signs in through the login form (antiforgery token and all) and returns the session's cookies.</summary>
    public static async Task<CookieContainer> SignInAsync(string baseUrl, string user = "admin")
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
        var form = await http.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        var antiforgery = AntiforgeryPattern().Match(form);
        if (!antiforgery.Success)
        {
            throw new InvalidOperationException("the login page has no antiforgery token");
        }

        using var response = await http.PostAsync(new Uri("/account/sign-in", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery.Groups[1].Value),
            ["UserName"] = user,
            ["Password"] = "portal-demo",
            ["ReturnUrl"] = "/",
        }));
        if (response.Headers.Location?.OriginalString.Contains("error", StringComparison.Ordinal) != false)
        {
            throw new InvalidOperationException($"sign-in as {user} failed: {(int)response.StatusCode} {response.Headers.Location}");
        }

        return cookies;
    }

    /// <summary>Resident set size of a process, in bytes (Linux).</summary>
    public static long Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static async Task PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(new Uri(path.TrimStart('/'), UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryPattern();
}
