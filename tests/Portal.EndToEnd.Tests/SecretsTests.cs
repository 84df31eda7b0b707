using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Portal.Testing;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Secrets never leak: known, unique values are planted (a Kubernetes Secret, a personal access token made in the UI,
/// an ingest token made by the CLI, AWS credentials in the process environment, the sandbox account's own key, a
/// password and wrong tokens typed by a user), a whole working session runs, and then every page, API answer, error,
/// line of the process's output (at Debug) and file the portal wrote is searched for them.
/// </summary>
/// <remarks>
/// Its own portal process, because the shared one discards its output; in the shared collection for its Chromium and
/// so that it does not run beside the other browser tests on a small machine.
/// </remarks>
[Collection(PortalCollection.Name)]
public class SecretsTests(PortalServerFixture server) : BrowserTest(server)
{
    private const string ShellReady = ".portal-shell[data-interactive='true']";

    [Fact]
    public async Task FullScenario_PlantedSecrets_AppearInNoPageApiAnswerLogAuditRecordJobLogOrFile()
    {
        var id = Guid.NewGuid().ToString("N");
        var scan = new LeakScan();
        var secretName = $"planted-{id[..8]}";
        var k8sValue = scan.Plant("kubernetes secret value", $"k8s-value-{id}");
        scan.Plant("kubernetes secret value (base64)", Convert.ToBase64String(Encoding.UTF8.GetBytes(k8sValue)));
        var awsKeyId = scan.Plant("AWS_ACCESS_KEY_ID", "AKIA" + id[..16].ToUpperInvariant());
        var awsSecret = scan.Plant("AWS_SECRET_ACCESS_KEY", $"awsSecretKey{id}"[..40]);
        var awsSession = scan.Plant("AWS_SESSION_TOKEN", $"awsSessionToken-{id}");
        scan.Plant("demo password", "portal-demo");
        var wrongPassword = scan.Plant("wrong password typed", $"wrong-password-{id}");
        var wrongToken = scan.Plant("wrong personal token", $"ptl_wrong{id}");
        var wrongIngestToken = scan.Plant("wrong ingest token", $"pti_wrong{id}");

        await using var portal = await CapturedPortalServer.StartAsync(new Dictionary<string, string?>
        {
            ["Logging__LogLevel__Default"] = "Debug",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Debug",
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Information",
            ["AWS_ACCESS_KEY_ID"] = awsKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = awsSecret,
            ["AWS_SESSION_TOKEN"] = awsSession,
            ["Deployments__MinReadySeconds"] = "1",
        });

        // The sandbox account's own key signs every CloudWatch and CloudTrail call the portal makes.
        var sandboxKey = await SandboxAwsSecretAsync(portal);
        scan.Plant("sandbox AWS secret key", sandboxKey);

        // A Secret in dev's namespace, made as a user would with kubectl, and read back so the search cannot be vacuous.
        // (kubectl's "create secret" speaks protobuf, which the sandbox does not: the manifest goes through "apply".)
        using (var manifests = new TempDirectory("secrets-e2e-manifest"))
        {
            var manifest = manifests.File("secret.json");
            await File.WriteAllTextAsync(manifest, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject { ["name"] = secretName, ["namespace"] = "dev" },
                ["type"] = "Opaque",
                ["data"] = new JsonObject { ["password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(k8sValue)) },
            }.ToJsonString());
            await KubectlAsync(portal, "apply", "-f", manifest);
        }

        var stored = await KubectlAsync(portal, "get", "secret", secretName, "-n", "dev", "-o", "jsonpath={.data.password}");
        Encoding.UTF8.GetString(Convert.FromBase64String(stored.Trim())).ShouldBe(k8sValue, "the planted Secret is in the cluster");

        // An ingest token from the CLI: its value is printed alone on the last line, and nowhere else.
        var cli = await PortalProcess.RunAsync(["tokens", "create", "--ingest", "--name", "secrets-e2e"], portal.Environment);
        cli.ExitCode.ShouldBe(0, cli.Stderr);
        var cliLines = cli.Stdout.TrimEnd().Split('\n');
        var ingestToken = scan.Plant("ingest token", cliLines[^1].Trim());
        ingestToken.ShouldStartWith("pti_");
        scan.Add("CLI output besides the token line", string.Join('\n', cliLines[..^1]) + cli.Stderr);

        await using var context = await Server.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        try
        {
            await RunScenarioAsync(page, portal, scan, new Planted(secretName, ingestToken, wrongPassword, wrongToken, wrongIngestToken), id);
        }
        catch
        {
            Directory.CreateDirectory(PortalServerFixture.ArtifactsDirectory);
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(PortalServerFixture.ArtifactsDirectory, $"{nameof(SecretsTests)}.png"),
                FullPage = true,
            });
            throw;
        }

        // The process's own output, at Debug: it must have said a lot, or the search says nothing.
        await Task.Delay(500);
        var output = portal.Output;
        output.Length.ShouldBeGreaterThan(20_000, "the process logged the session");
        output.ShouldContain("dbug:", customMessage: "Debug messages were written");
        scan.Add("process stdout and stderr", output);

        // Every file the portal wrote: its database (audit, jobs and their logs, tokens), the log store, the sandbox's
        // trail and state. The cluster's store holds its Secrets as etcd does; the sandbox's key file holds its key.
        var files = scan.AddFiles(portal.DataDirectory, relative => Path.GetFileName(relative) switch
        {
            "state.json" => ["kubernetes secret value", "kubernetes secret value (base64)"],
            "aws-credentials.json" => ["sandbox AWS secret key"],
            _ => [],
        });
        files.ShouldBeGreaterThan(3);
        var state = File.ReadAllText(Path.Combine(portal.DataDirectory, "sandbox", "state.json"));
        state.ShouldContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(k8sValue)), customMessage: "the cluster's store is where the Secret lives (its encoded value is what is searched for elsewhere)");

        scan.ChannelCount.ShouldBeGreaterThan(50);
        scan.Leaks().ShouldBeEmpty();
    }

    private static async Task RunScenarioAsync(IPage page, CapturedPortalServer portal, LeakScan scan, Planted planted, string id)
    {
        var (secretName, ingestToken, wrongPassword, wrongToken, wrongIngestToken) = planted;

        // Sign-in: a wrong password first, then the right one.
        await page.GotoAsync("/environments");
        await SignInAsync(page, "admin", wrongPassword);
        await page.Locator("[data-testid='login-message']").WaitForAsync();
        scan.Add("page: sign-in after a wrong password", await page.ContentAsync());
        await SignInAsync(page, "admin");
        await page.Locator(ShellReady).WaitForAsync();

        // A personal access token made on the profile page: shown once there, and only there.
        await page.GotoAsync("/profile");
        await page.Locator(ShellReady).WaitForAsync();
        await page.Locator("#token-name").FillAsync("secrets-e2e");
        await page.Locator("[data-testid='create-token']").ClickAsync();
        var pat = scan.Plant("personal access token", (await page.Locator("[data-testid='new-token-value']").TextContentAsync())!.Trim());
        pat.ShouldStartWith("ptl_");
        (await page.ContentAsync()).ShouldContain(pat, customMessage: "the one page meant to show it does: a page's HTML is a channel the search can see into");

        using var api = new HttpClient { BaseAddress = new Uri(portal.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", pat);
        var calls = new ApiCalls(api, scan);
        (await calls.SendAsync(HttpMethod.Get, "/api/v1/me")).Status.ShouldBe(HttpStatusCode.OK);

        // A service whose DB_PASSWORD comes from the planted Secret, deployed to dev (succeeds) and test ("bad" image: fails).
        var service = $"sec-{id[..8]}";
        (await calls.SendAsync(HttpMethod.Post, "/api/v1/services",
            $$"""
            {"name":"{{service}}","owningTeam":"shop","imageRepository":"registry.portal.test/shop/{{service}}",
             "ports":[{"name":"http","port":8080,"protocol":"TCP"}],"healthCheckPath":"/healthz","defaultReplicas":1,
             "resources":{"cpuRequest":"100m","cpuLimit":"200m","memoryRequest":"64Mi","memoryLimit":"128Mi"},
             "env":{"LOG_LEVEL":"info"},"secrets":[{"envName":"DB_PASSWORD","secret":"{{secretName}}","key":"password"}]}
            """)).Status.ShouldBe(HttpStatusCode.Created);
        var good = await calls.SendAsync(HttpMethod.Post, "/api/v1/environments/dev/deployments", $$"""{"service":"{{service}}","version":"1.0.0"}""");
        good.Status.ShouldBe(HttpStatusCode.Accepted, good.Body);
        var bad = await calls.SendAsync(HttpMethod.Post, "/api/v1/environments/test/deployments", $$"""{"service":"{{service}}","version":"bad-1.0.0"}""");
        bad.Status.ShouldBe(HttpStatusCode.Accepted, bad.Body);
        var goodRelease = Parse(good.Body)["release"]!["id"]!.GetValue<string>();
        var badRelease = Parse(bad.Body)["release"]!["id"]!.GetValue<string>();

        // A new environment: a provisioning job.
        var environment = $"sx-{id[..8]}";
        var created = await calls.SendAsync(HttpMethod.Post, "/api/v1/environments",
            $$"""{"name":"{{environment}}","displayName":"Secrets","tier":"dev","owningTeam":"payments","costCentre":"cc-1"}""");
        created.Status.ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.Accepted);

        // Error paths: bad input answers problem+json naming the field; wrong credentials are refused.
        var invalid = await calls.SendAsync(HttpMethod.Post, "/api/v1/environments",
            """{"name":"Not_Valid","displayName":"x","tier":"dev","owningTeam":"payments","costCentre":"cc-1"}""");
        invalid.Status.ShouldBe(HttpStatusCode.BadRequest);
        invalid.ContentType.ShouldBe("application/problem+json");
        invalid.Body.ShouldContain("name");
        (await calls.SendAsync(HttpMethod.Post, "/api/v1/environments/dev/deployments", $$"""{"service":"{{service}}","version":"not a version"}""")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await calls.SendAsync(HttpMethod.Get, "/api/v1/environments", bearer: wrongToken)).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await calls.SendAsync(HttpMethod.Get, "/api/v1/environments", bearer: pat + "x")).Status.ShouldBe(HttpStatusCode.Unauthorized);

        // Logs shipped with the ingest token; a wrong token and a personal token are refused there.
        var marker = $"shipped{id}";
        var bulk = $$$"""
            {"index":{"_index":"logs-dev-e2e"}}
            {"@timestamp":"{{{DateTimeOffset.UtcNow:O}}}","message":"secrets scenario {{{marker}}}","level":"info","kubernetes":{"namespace_name":"dev","pod_name":"shipper-e2e"}}

            """;
        var shipped = await calls.SendAsync(HttpMethod.Post, "/ingest/_bulk", bulk, bearer: ingestToken, mediaType: "application/x-ndjson");
        shipped.Status.ShouldBe(HttpStatusCode.OK, shipped.Body);
        shipped.Body.ShouldContain("\"errors\":false");
        (await calls.SendAsync(HttpMethod.Post, "/ingest/_bulk", bulk, bearer: wrongIngestToken, mediaType: "application/x-ndjson")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await calls.SendAsync(HttpMethod.Post, "/ingest/_bulk", bulk, bearer: pat, mediaType: "application/x-ndjson")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        await WaitForAsync("the shipped line to be searchable", async () =>
        {
            var search = await calls.SendAsync(HttpMethod.Post, "/api/v1/logs/search",
                $$"""{"query":"{{marker}}","environment":"dev","from":"now-1h","to":"now"}""");
            return search.Status == HttpStatusCode.OK && Parse(search.Body)["total"]!.GetValue<long>() >= 1;
        });

        // The jobs run out: dev's release succeeds, test's fails on its image, the environment becomes Ready.
        await WaitForAsync("the releases and the provisioning job to finish", async () =>
        {
            var dev = Parse((await calls.SendAsync(HttpMethod.Get, $"/api/v1/environments/dev/deployments/{goodRelease}")).Body);
            var test = Parse((await calls.SendAsync(HttpMethod.Get, $"/api/v1/environments/test/deployments/{badRelease}")).Body);
            var env = Parse((await calls.SendAsync(HttpMethod.Get, $"/api/v1/environments/{environment}")).Body);
            return (string?)dev["state"] == "succeeded" && (string?)test["state"] == "failed" && (string?)env["status"] == "ready";
        });
        var release = await calls.SendAsync(HttpMethod.Get, $"/api/v1/environments/dev/deployments/{goodRelease}");
        release.Body.ShouldContain(secretName, customMessage: "the applied manifests name the Secret they read from");

        var jobs = Parse((await calls.SendAsync(HttpMethod.Get, "/api/v1/jobs?take=100")).Body)["items"]!.AsArray()
            .Select(j => (string)j!["id"]!).ToList();
        jobs.Count.ShouldBeGreaterThanOrEqualTo(3);
        var jobLines = 0;
        foreach (var job in jobs)
        {
            await calls.SendAsync(HttpMethod.Get, $"/api/v1/jobs/{job}");
            jobLines += Parse((await calls.SendAsync(HttpMethod.Get, $"/api/v1/jobs/{job}/log")).Body).AsArray().Count;
        }

        jobLines.ShouldBeGreaterThan(10, "the jobs wrote their logs");

        var pods = Parse((await calls.SendAsync(HttpMethod.Get, "/api/v1/environments/dev/pods")).Body).AsArray();
        var pod = pods.Select(p => (string)p!["name"]!).First(n => n.StartsWith(service, StringComparison.Ordinal));
        await calls.SendAsync(HttpMethod.Get, $"/api/v1/environments/dev/pods/{pod}/logs?tailLines=200");
        foreach (var path in (string[])[
            "/api/v1/me/tokens", "/api/v1/environments", $"/api/v1/environments/{environment}", "/api/v1/environments/dev/workloads",
            $"/api/v1/services/{service}", $"/api/v1/environments/test/deployments/{badRelease}", "/api/v1/environments/dev/deployments",
            "/api/v1/environments/dev/trail", "/api/v1/alarms", "/api/v1/status", "/api/v1/logs/fields?environment=dev", "/api/v1/approvals"])
        {
            await calls.SendAsync(HttpMethod.Get, path);
        }

        var audit = await calls.SendAsync(HttpMethod.Get, "/api/v1/audit?format=csv");
        audit.Status.ShouldBe(HttpStatusCode.OK);
        audit.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBeGreaterThan(10, "the session left audit records");
        (await calls.SendAsync(HttpMethod.Get, "/api/v1/audit?take=200")).Status.ShouldBe(HttpStatusCode.OK);

        // Every page of the navigation, then each page the session touched.
        await page.GotoAsync("/");
        await page.Locator(ShellReady).WaitForAsync();
        var nav = await page.Locator("nav[aria-label='Main'] a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        nav.Length.ShouldBeGreaterThanOrEqualTo(10);
        var pages = nav.Select(href => "/" + href.TrimStart('/')).Concat([
            "/environments/dev", "/environments/test", "/environments/staging", "/environments/prod", $"/environments/{environment}",
            $"/environments/{environment}/workloads", "/environments/test/workloads", "/environments/dev/trail", "/environments/dev/costs",
            $"/deployments/dev/{goodRelease}", $"/deployments/test/{badRelease}", $"/services/{service}", $"/services/{service}/edit",
            $"/deploy?service={service}&env=dev", $"/logs?env=dev&q={marker}", "/profile", "/admin", "/audit", "/costs/explain?env=dev",
            .. jobs.Select(j => $"/jobs/{j}")]).Distinct(StringComparer.Ordinal).ToList();

        await VisitAsync(page, scan, "/environments/dev/workloads", page.Locator("[data-testid='config-row']", new() { HasText = secretName }));
        await VisitAsync(page, scan, $"/environments/dev/pods/{pod}", page.Locator("[data-testid='log-lines'] .portal-log-line").First);
        foreach (var path in pages)
        {
            await VisitAsync(page, scan, path);
        }
    }

    /// <summary>Opens a page, waits for the circuit (and <paramref name="ready"/>, if given), lets it load, and keeps its HTML.</summary>
    private static async Task VisitAsync(IPage page, LeakScan scan, string path, ILocator? ready = null)
    {
        await page.GotoAsync(path);
        await page.Locator(ShellReady).WaitForAsync();
        if (ready is not null)
        {
            await ready.WaitForAsync();
        }

        await page.WaitForTimeoutAsync(600);
        var html = await page.ContentAsync();
        html.Length.ShouldBeGreaterThan(2_000, $"{path} rendered");
        scan.Add($"page {path}", html);
    }

    private static async Task WaitForAsync(string what, Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited 90 s for {what}.");
            }

            await Task.Delay(1_000);
        }
    }

    private static JsonNode Parse(string body) => JsonNode.Parse(body)!;

    private static async Task<string> SandboxAwsSecretAsync(CapturedPortalServer portal)
    {
        var path = Path.Combine(portal.DataDirectory, "sandbox", "aws-credentials.json");
        await WaitForAsync("the sandbox's AWS key", () => Task.FromResult(File.Exists(path) && new FileInfo(path).Length > 0));
        return (string)JsonNode.Parse(await File.ReadAllTextAsync(path))!["secretAccessKey"]!;
    }

    private static async Task<string> KubectlAsync(CapturedPortalServer portal, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(portal.SandboxKubeconfig);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.ShouldBe(0, await stderr);
        return await stdout;
    }

    /// <summary>The planted names and values the scenario uses.</summary>
    private sealed record Planted(string SecretName, string IngestToken, string WrongPassword, string WrongToken, string WrongIngestToken);

    /// <summary>API calls whose answers (errors included) all go into the scan.</summary>
    private sealed class ApiCalls(HttpClient client, LeakScan scan)
    {
        public sealed record Answer(HttpStatusCode Status, string? ContentType, string Body);

        public async Task<Answer> SendAsync(HttpMethod method, string path, string? body = null, string? bearer = null, string mediaType = "application/json")
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, mediaType);
            }

            if (bearer is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }

            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var headers = string.Join('\n', response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));
            scan.Add($"API {method} {path} ({(int)response.StatusCode})", headers + "\n\n" + text);
            return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text);
        }
    }
}
