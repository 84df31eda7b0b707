using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Benchmarks;

/// <summary>
/// One browser tab without the browser: loads a page with the session cookie, reads the server component markers,
/// and runs its Blazor circuit over SignalR (WebSockets, blazorpack) the way blazor.web.js does: <c>StartCircuit</c>,
/// <c>UpdateRootComponents</c> with the markers, every render batch acknowledged with <c>OnRenderCompleted</c>, every
/// JS interop call answered (with a default value: there is no DOM), and Virtualize told that its top is in view, so
/// the rows a browser would show are rendered. Each batch is handed to <see cref="OnBatch"/> with its arrival time.
/// </summary>
internal sealed partial class BlazorCircuit : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private long _nextJsObject;
    private long _nextCallId;

    private BlazorCircuit(HubConnection connection) => _connection = connection;

    /// <summary>Called on the connection's receive loop for every render batch: the bytes and <see cref="Stopwatch"/> ticks.</summary>
    public Action<ReadOnlyMemory<byte>, long>? OnBatch { get; set; }

    /// <summary>Set when the server reported an error or the connection closed while the circuit was meant to be open.</summary>
    public string? Failure { get; private set; }

    public TimeSpan FirstRender { get; private set; }

    public static async Task<BlazorCircuit> OpenAsync(Uri baseUri, string path, CookieContainer cookies, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = baseUri };
        using var response = await http.GetAsync(new Uri(path.TrimStart('/'), UriKind.Relative), ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} (signed in?)");
        }

        var html = await response.Content.ReadAsStringAsync(ct);
        var markers = MarkerPattern().Matches(html)
            .Select(m => JsonNode.Parse(m.Groups[1].Value)!.AsObject())
            .Where(m => m["type"]?.GetValue<string>() == "server" && m.ContainsKey("descriptor"))
            .OrderBy(m => m["sequence"]!.GetValue<int>())
            .ToList();
        var state = StatePattern().Match(html) is { Success: true } s ? s.Groups[1].Value : "";

        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, "_blazor"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.Cookies = cookies;
            })
            .AddBlazorPack()
            .Build();
        var circuit = new BlazorCircuit(connection);
        var firstBatch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On("JS.RenderBatch", [typeof(object), typeof(object)], async (args, _) =>
        {
            var at = Stopwatch.GetTimestamp();
            var id = Convert.ToInt64(args[0], CultureInfo.InvariantCulture);
            circuit.OnBatch?.Invoke((byte[])args[1]!, at);
            if (firstBatch.TrySetResult())
            {
                circuit.FirstRender = Stopwatch.GetElapsedTime(start);
            }

            await connection.SendAsync("OnRenderCompleted", id, null, CancellationToken.None);
        }, circuit);
        connection.On("JS.BeginInvokeJS", [typeof(object), typeof(object), typeof(object), typeof(object), typeof(object)],
            (args, _) => circuit.AnswerJsAsync(args), circuit);
        connection.On("JS.Error", [typeof(object)], (args, _) =>
        {
            circuit.Failure ??= $"server error: {args[0]}";
            return Task.CompletedTask;
        }, circuit);
        foreach (var ignored in new[] { "JS.EndInvokeDotNet", "JS.AttachComponent", "JS.EndUpdateRootComponents", "JS.SavePersistedState", "JS.ReceiveByteArray", "JS.EndLocationChanging" })
        {
            connection.On(ignored, [], (_, _) => Task.CompletedTask, circuit);
        }

        connection.Closed += e =>
        {
            circuit.Failure ??= $"connection closed: {e?.Message ?? "by the server"}";
            return Task.CompletedTask;
        };

        await connection.StartAsync(ct);
        _ = await connection.InvokeAsync<string?>("StartCircuit", baseUri.ToString(), new Uri(baseUri, path.TrimStart('/')).ToString(), "[]", state, ct)
            ?? throw new InvalidOperationException("StartCircuit returned no circuit id");
        var operations = new JsonObject
        {
            ["batchId"] = 1,
            ["operations"] = new JsonArray([.. markers.Select((m, i) => (JsonNode)new JsonObject { ["type"] = "add", ["ssrComponentId"] = i + 1, ["marker"] = m.DeepClone() })]),
        };
        await connection.SendAsync("UpdateRootComponents", operations.ToJsonString(), state, ct);
        await firstBatch.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        return circuit;
    }

    public async ValueTask DisposeAsync()
    {
        Failure ??= "closed";
        await _connection.DisposeAsync();
    }

    /// <summary>
    /// Answers <c>JS.BeginInvokeJS(asyncHandle, identifier, argsJson, resultType, targetInstanceId[, callType])</c> as
    /// blazor.web.js would with no DOM: a new JS object reference where one is expected, null otherwise.
    /// </summary>
    private async Task AnswerJsAsync(object?[] args)
    {
        var handle = Convert.ToInt64(args[0], CultureInfo.InvariantCulture);
        var identifier = args[1] as string ?? "";
        var argsJson = args[2] as string ?? "[]";
        var resultType = Convert.ToInt32(args[3], CultureInfo.InvariantCulture);
        if (handle != 0)
        {
            // JSCallResultType: 0 default, 1 JSObjectReference, 2 JSStreamReference, 3 JSVoidResult.
            var result = resultType == 1 ? $"{{\"__jsObjectId\":{Interlocked.Increment(ref _nextJsObject)}}}" : "null";
            await _connection.SendAsync("EndInvokeJSFromDotNet", handle, true, $"[{handle},true,{result}]", CancellationToken.None);
        }

        if (identifier.EndsWith("Virtualize.init", StringComparison.Ordinal) && DotNetObjectPattern().Match(argsJson) is { Success: true } reference)
        {
            // What the IntersectionObserver reports when the spacer before the rows is in view at the top of a 1,000-pixel
            // viewport: Virtualize then renders the first rows (as many as fit, plus its overscan).
            var callId = Interlocked.Increment(ref _nextCallId).ToString(CultureInfo.InvariantCulture);
            await _connection.SendAsync("BeginInvokeDotNetFromJS", callId, null, "OnSpacerBeforeVisible",
                long.Parse(reference.Groups[1].Value, CultureInfo.InvariantCulture), "[0,0,1000]", CancellationToken.None);
        }
    }

    [GeneratedRegex("<!--Blazor:(\\{.*?\\})-->", RegexOptions.Singleline)]
    private static partial Regex MarkerPattern();

    [GeneratedRegex("<!--Blazor-Server-Component-State:([A-Za-z0-9+/=]+)-->")]
    private static partial Regex StatePattern();

    [GeneratedRegex("\"__dotNetObject\":(\\d+)")]
    private static partial Regex DotNetObjectPattern();
}

internal static class BlazorPackExtensions
{
    public static IHubConnectionBuilder AddBlazorPack(this IHubConnectionBuilder builder)
    {
        builder.Services.AddSingleton<IHubProtocol, BlazorPackProtocol>();
        return builder;
    }
}
