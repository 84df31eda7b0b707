using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Portal.Kubernetes.Tests.Rest;

/// <summary>
/// A loopback HTTP server answering the pods list the way the API server pages it (limit, continue, 410 Expired
/// for a stale token), with real Status bodies from the reference data.
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private WebApplication _app = default!;

    public string Url { get; private set; } = "";

    public int PodCount { get; set; } = 5;

    /// <summary>Expire the next continue token this many times.</summary>
    public int ExpireContinueTimes { get; set; }

    public bool Forbid { get; set; }

    public List<string> Requests { get; } = [];

    public static async Task<FakeApiServer> StartAsync()
    {
        var server = new FakeApiServer();
        (server._app, server.Url) = await Portal.Testing.LoopbackServer.StartAsync(app =>
            app.MapGet("/api/v1/namespaces/{ns}/pods", (string ns, HttpRequest request) => server.ListPods(ns, request)));
        return server;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private IResult ListPods(string ns, HttpRequest request)
    {
        Requests.Add(request.QueryString.Value ?? "");
        if (Forbid)
        {
            return Results.Text(Reference("Status-403-Forbidden-namespaced-list.json"), "application/json", statusCode: 403);
        }

        var limit = int.Parse(request.Query["limit"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
        var start = request.Query["continue"] is { Count: > 0 } token ? int.Parse(token.ToString(), System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (start > 0 && ExpireContinueTimes > 0)
        {
            ExpireContinueTimes--;
            return Results.Text(Reference("Status-410-Expired-continue.json"), "application/json", statusCode: 410);
        }

        var items = new JsonArray();
        for (var i = start; i < Math.Min(start + limit, PodCount); i++)
        {
            items.Add(new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = $"pod-{i}", ["namespace"] = ns, ["uid"] = $"uid-{i}", ["resourceVersion"] = "100" },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app:1" }) },
                ["status"] = new JsonObject { ["phase"] = "Running" },
            });
        }

        var next = start + limit < PodCount ? (start + limit).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        var list = new JsonObject
        {
            ["kind"] = "PodList",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = "100", ["continue"] = next },
            ["items"] = items,
        };
        return Results.Text(list.ToJsonString(), "application/json");
    }

    private static string Reference(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", file));
}
