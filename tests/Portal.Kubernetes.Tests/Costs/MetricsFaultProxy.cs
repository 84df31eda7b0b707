using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Portal.Kubernetes.Tests.Costs;

/// <summary>
/// A plain-HTTP loopback proxy in front of a sandbox (it adds the sandbox's credentials) that makes the metrics API
/// behave as on clusters without a healthy one: absent (404 Status, as for a group nobody registered), unavailable
/// (503 with the aggregator's plain-text body), refused (403), or missing some pods (not scraped yet).
/// </summary>
public sealed class MetricsFaultProxy : IAsyncDisposable
{
    private readonly HttpClient _upstream;
    private WebApplication _app = default!;

    private MetricsFaultProxy(HttpClient upstream) => _upstream = upstream;

    public string Url { get; private set; } = "";

    /// <summary>When set, every metrics.k8s.io request is answered with this status instead of being forwarded.</summary>
    public HttpStatusCode? MetricsAnswer { get; set; }

    /// <summary>Pods (by name) left out of metrics lists, as metrics-server leaves out pods it has not scraped yet.</summary>
    public HashSet<string> HiddenFromMetrics { get; } = [];

    public static async Task<MetricsFaultProxy> StartAsync(HttpClient upstream)
    {
        var proxy = new MetricsFaultProxy(upstream);
        (proxy._app, proxy.Url) = await Portal.Testing.LoopbackServer.StartAsync(app => app.Run(proxy.ForwardAsync));
        return proxy;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task ForwardAsync(HttpContext http)
    {
        var isMetrics = http.Request.Path.StartsWithSegments("/apis/metrics.k8s.io", StringComparison.Ordinal);
        if (isMetrics && MetricsAnswer is { } code)
        {
            http.Response.StatusCode = (int)code;
            http.Response.ContentType = code == HttpStatusCode.ServiceUnavailable ? "text/plain; charset=utf-8" : "application/json";
            await http.Response.WriteAsync(code switch
            {
                HttpStatusCode.ServiceUnavailable => "service unavailable\n",
                HttpStatusCode.NotFound => """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}""",
                _ => $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods.metrics.k8s.io is forbidden: User \"system:serviceaccount:portal:portal\" cannot list resource \"pods\" in API group \"metrics.k8s.io\" at the cluster scope","reason":"Forbidden","details":{"group":"metrics.k8s.io","kind":"pods"},"code":{{(int)code}}}""",
            });
            return;
        }

        using var response = await _upstream.GetAsync($"{http.Request.Path}{http.Request.QueryString}".TrimStart('/'), http.RequestAborted);
        var body = await response.Content.ReadAsStringAsync(http.RequestAborted);
        if (isMetrics && response.IsSuccessStatusCode && HiddenFromMetrics.Count > 0 && JsonNode.Parse(body) is JsonObject list && list["items"] is JsonArray items)
        {
            foreach (var hidden in items.Where(i => HiddenFromMetrics.Contains(i?["metadata"]?["name"]?.GetValue<string>() ?? "")).ToList())
            {
                items.Remove(hidden);
            }

            body = list.ToJsonString();
        }

        http.Response.StatusCode = (int)response.StatusCode;
        http.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        await http.Response.WriteAsync(body, http.RequestAborted);
    }
}
