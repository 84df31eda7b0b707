using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Portal.Benchmarks;

/// <summary>
/// How soon on-call sees a bad deploy, in the embedded default with its standard 60-second alarms: from the deploy
/// request to the board showing ALARM (sandbox metrics, CloudWatch evaluation, the portal's poll), against the least
/// the alarm's own definition allows (its periods to alarm; the baseline), and back to OK after a fix. Then the
/// board's API latency over every alarm, against listing environments in the same run.
/// </summary>
public static class AlarmsBenchmark
{
    private sealed record Case(string Service, string BadVersion, string Alarm, int MinimumSeconds);

    public static async Task<int> RunAsync(int rounds)
    {
        await using var portal = await BenchPortal.StartAsync("bench-alarms");
        using var http = new HttpClient { BaseAddress = new Uri(portal.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", portal.Token);

        // restarts: 1 of 5 periods, so one period; unavailable-pods: 3 of 3; 5xx-rate: 2 of 3 (all 60 s).
        var cases = new List<Case>();
        for (var round = 0; round < rounds; round++)
        {
            cases.Add(new($"crash{round}", "1.1.0-crash", "restarts", 60));
            cases.Add(new($"crash{round}", "1.1.0-crash", "unavailable-pods", 180));
            cases.Add(new($"errors{round}", "1.1.0-errors", "5xx-rate", 120));
        }

        foreach (var service in cases.Select(c => c.Service).Distinct())
        {
            await PostAsync(http, "/api/v1/services", $$$"""
                {"name":"{{{service}}}","owningTeam":"bench","imageRepository":"registry.portal.test/bench/{{{service}}}",
                 "ports":[{"name":"http","port":8080,"protocol":"TCP"}],"healthCheckPath":"/healthz","defaultReplicas":2,
                 "resources":{"cpuRequest":"100m","cpuLimit":"200m","memoryRequest":"64Mi","memoryLimit":"128Mi"}}
                """);
            await PostAsync(http, "/api/v1/environments/dev/deployments", $$"""{"service":"{{service}}","version":"1.0.0"}""");
        }

        Console.Error.WriteLine("waiting until every new alarm is OK (healthy deploys, data in every period)…");
        await UntilAsync(http, cases.Select(c => $"dev/{c.Service}/{c.Alarm}"), "OK", TimeSpan.FromMinutes(10));

        foreach (var service in cases.Select(c => c.Service).Distinct())
        {
            await SettledAsync(http, service);
        }

        var deployed = new Dictionary<string, Stopwatch>();
        foreach (var service in cases.Select(c => (c.Service, c.BadVersion)).Distinct())
        {
            await PostAsync(http, "/api/v1/environments/dev/deployments", $$"""{"service":"{{service.Service}}","version":"{{service.BadVersion}}"}""");
            deployed[service.Service] = Stopwatch.StartNew();
        }

        var toAlarm = await TimesAsync(http, cases, deployed, "ALARM", TimeSpan.FromMinutes(10));
        var fixedAt = new Dictionary<string, Stopwatch>();
        foreach (var service in cases.Select(c => c.Service).Distinct())
        {
            // Queued behind the bad rollout, as someone fixing forward would; the time includes that wait.
            await PostAsync(http, "/api/v1/environments/dev/deployments", $$"""{"service":"{{service}}","version":"1.2.0","queue":true}""");
            fixedAt[service] = Stopwatch.StartNew();
        }

        var toOk = await TimesAsync(http, cases, fixedAt, "OK", TimeSpan.FromMinutes(10));

        var board = new List<double>();
        var environments = new List<double>();
        var count = 0;
        for (var i = 0; i < 200; i++)
        {
            var watch = Stopwatch.StartNew();
            var page = await http.GetFromJsonAsync<JsonElement>("/api/v1/alarms");
            board.Add(watch.Elapsed.TotalMilliseconds);
            count = page.GetProperty("alarms").GetArrayLength();
            watch.Restart();
            (await http.GetAsync(new Uri("/api/v1/environments", UriKind.Relative))).EnsureSuccessStatusCode();
            environments.Add(watch.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine(BenchPortal.Machine());
        Console.WriteLine("Embedded default: sandbox CloudWatch with 60 s alarms, Alarms:PollInterval 30 s; times from the deploy request to the board.");
        Console.WriteLine("alarm                          to ALARM   minimum  ratio    to OK after a fix");
        foreach (var c in cases)
        {
            var key = $"dev/{c.Service}/{c.Alarm}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{key,-30} {toAlarm[key],6:0} s  {c.MinimumSeconds,6} s  {toAlarm[key] / c.MinimumSeconds,5:0.00}    {toOk[key],6:0} s"));
        }

        var boardMedian = BenchPortal.Percentile(board, 0.5);
        var envMedian = BenchPortal.Percentile(environments, 0.5);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GET /api/v1/alarms ({count} alarms, admin): {BenchPortal.P50P95(board)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GET /api/v1/environments (baseline):     {BenchPortal.P50P95(environments)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio of medians alarms / environments: {boardMedian / envMedian:0.00}"));
        return 0;
    }

    private static async Task<Dictionary<string, double>> TimesAsync(HttpClient http, List<Case> cases, Dictionary<string, Stopwatch> since, string state, TimeSpan limit)
    {
        var times = new Dictionary<string, double>();
        var deadline = Stopwatch.StartNew();
        while (times.Count < cases.Count && deadline.Elapsed < limit)
        {
            var states = await StatesAsync(http);
            foreach (var c in cases)
            {
                var key = $"dev/{c.Service}/{c.Alarm}";
                if (!times.ContainsKey(key) && states.GetValueOrDefault(key) == state)
                {
                    times[key] = since[c.Service].Elapsed.TotalSeconds;
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return times.Count == cases.Count ? times : throw new TimeoutException($"Not every alarm reached {state} within {limit}: {string.Join(", ", cases.Select(c => $"dev/{c.Service}/{c.Alarm}").Except(times.Keys))}");
    }

    private static async Task UntilAsync(HttpClient http, IEnumerable<string> names, string state, TimeSpan limit)
    {
        var wanted = names.ToHashSet(StringComparer.Ordinal);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            var states = await StatesAsync(http);
            if (wanted.All(n => states.GetValueOrDefault(n) == state))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        throw new TimeoutException($"The alarms did not all reach {state} within {limit}.");
    }

    /// <summary>Waits until the service's last release in dev has finished rolling out.</summary>
    private static async Task SettledAsync(HttpClient http, string service)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(5))
        {
            var releases = await http.GetFromJsonAsync<JsonElement>($"/api/v1/environments/dev/deployments?service={service}&take=1");
            var state = releases.EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } r ? r.GetProperty("state").GetString() : null;
            if (state is "succeeded" or "failed" or "cancelled")
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException($"The release of {service} did not finish within 5 minutes.");
    }

    private static async Task<Dictionary<string, string>> StatesAsync(HttpClient http)
    {
        var page = await http.GetFromJsonAsync<JsonElement>("/api/v1/alarms?environment=dev");
        return page.GetProperty("alarms").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("state").GetString()!, StringComparer.Ordinal);
    }

    private static async Task PostAsync(HttpClient http, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
