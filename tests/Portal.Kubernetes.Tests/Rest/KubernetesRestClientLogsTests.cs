using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Portal.Kubernetes.Rest;
using Portal.Kubernetes.Tests.Sandbox;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;
using Portal.Testing;

namespace Portal.Kubernetes.Tests.Rest;

/// <summary>
/// Pod logs from the sandbox, whose clock the test moves: containers write their lines by that clock, so a test
/// knows exactly which lines exist.
/// </summary>
public sealed class KubernetesRestClientLogsTests : IAsyncLifetime
{
    private readonly FakeClock _clock = new();
    private RunningSandbox _sandbox = default!;
    private KubernetesRestClient _client = default!;

    public async Task InitializeAsync()
    {
        _sandbox = await RunningSandbox.StartAsync(clock: _clock);
        _client = _sandbox.Client();
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private JsonObject Pod(string name) => _sandbox.Store.Get(ResourceTypes.Pods, RunningSandbox.Ns, name)!;

    private static JsonNode? Container(JsonObject pod) => pod["status"]?["containerStatuses"]?[0];

    /// <summary>Starts a pod on the node and moves the clock until <paramref name="until"/> says it is far enough along.</summary>
    private async Task<JsonObject> RunPodAsync(string name, string image, Func<JsonObject, bool> until)
    {
        _sandbox.Create(ResourceTypes.Pods, $$"""
            { "metadata": { "name": "{{name}}", "namespace": "{{RunningSandbox.Ns}}", "labels": { "app": "{{name}}" } },
              "spec": { "nodeName": "node-1", "containers": [ { "name": "app", "image": "{{image}}" } ] } }
            """);
        await RunningSandbox.EventuallyAsync(() =>
        {
            if (until(Pod(name)))
            {
                return true;
            }

            _clock.Advance(TimeSpan.FromMilliseconds(100));
            return false;
        }, $"{name} gets there");
        return Pod(name);
    }

    private static async Task<string[]> ReadAllLinesAsync(Stream stream)
    {
        using var reader = new StreamReader(stream);
        return (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task LogsAsync_TailLines_ReturnsExactlyTheLastLinesTheContainerWrote()
    {
        await RunPodAsync("web", "web:1", p => Container(p)?["state"]?["running"] is not null);
        _clock.Advance(TimeSpan.FromMinutes(10));
        var run = SimulatedWorkload.RunOf(Pod("web"), "app", previous: false)!;

        var lines = await ReadAllLinesAsync(await _client.LogsAsync(RunningSandbox.Ns, "web", new LogOptions(TailLines: 7), CancellationToken.None));

        lines.ShouldBe(SimulatedWorkload.Tail(run, 7, _clock.GetUtcNow()).Select(l => l.Text));
        lines.Length.ShouldBe(7);
    }

    [Fact]
    public async Task LogsAsync_Timestamps_PrefixesEachLineWithWhenItWasWritten()
    {
        await RunPodAsync("web", "web:1", p => Container(p)?["state"]?["running"] is not null);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var run = SimulatedWorkload.RunOf(Pod("web"), "app", previous: false)!;

        var lines = await ReadAllLinesAsync(await _client.LogsAsync(RunningSandbox.Ns, "web", new LogOptions(TailLines: 3, Timestamps: true), CancellationToken.None));

        var expected = SimulatedWorkload.Tail(run, 3, _clock.GetUtcNow());
        lines.Select(l => DateTimeOffset.Parse(l.Split(' ', 2)[0], CultureInfo.InvariantCulture)).ShouldBe(expected.Select(l => l.Time));
        lines.Select(l => l.Split(' ', 2)[1]).ShouldBe(expected.Select(l => l.Text));
    }

    [Fact]
    public async Task LogsAsync_PreviousWithoutARestart_IsABadRequestWithTheApisMessage()
    {
        await RunPodAsync("web", "web:1", p => Container(p)?["state"]?["running"] is not null);

        var error = await Should.ThrowAsync<KubernetesApiException>(() => _client.LogsAsync(RunningSandbox.Ns, "web", new LogOptions(Previous: true), CancellationToken.None));

        error.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        error.Reason.ShouldBe("BadRequest");
        error.ApiMessage.ShouldBe("previous terminated container \"app\" in pod \"web\" not found");
    }

    [Fact]
    public async Task LogsAsync_PreviousAfterACrash_IsTheCrashedRunEndingInItsFatalLine()
    {
        var pod = await RunPodAsync("crasher", "web:1-crash", p => Container(p)?["restartCount"]?.GetValue<int>() >= 1);
        var previous = SimulatedWorkload.RunOf(pod, "app", previous: true)!;

        var lines = await ReadAllLinesAsync(await _client.LogsAsync(RunningSandbox.Ns, "crasher", new LogOptions(Previous: true), CancellationToken.None));

        lines.ShouldBe(SimulatedWorkload.Lines(previous, DateTimeOffset.MinValue, _clock.GetUtcNow()).Select(l => l.Text));
        lines[^1].ShouldStartWith("level=fatal msg=\"panic: runtime error");
    }

    [Fact]
    public async Task LogsAsync_ContainerThatCannotStart_SaysWhy()
    {
        await RunPodAsync("broken", "web:1-bad", p => Container(p)?["state"]?["waiting"]?["reason"]?.GetValue<string>() == "ErrImagePull");

        var error = await Should.ThrowAsync<KubernetesApiException>(() => _client.LogsAsync(RunningSandbox.Ns, "broken", new LogOptions(), CancellationToken.None));

        error.ApiMessage.ShouldBe("container \"app\" in pod \"broken\" is waiting to start: trying and failing to pull image");
    }

    [Fact]
    public async Task LogsAsync_Follow_StreamsLinesWrittenAfterItOpened()
    {
        await RunPodAsync("web", "web:1", p => Container(p)?["state"]?["running"] is not null);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var opened = _clock.GetUtcNow();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await using var stream = await _client.LogsAsync(RunningSandbox.Ns, "web", new LogOptions(TailLines: 1, Follow: true, Timestamps: true), timeout.Token);
        using var reader = new StreamReader(stream);
        var first = await reader.ReadLineAsync(timeout.Token);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var later = new List<DateTimeOffset>();
        while (later.Count < 5 && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            later.Add(DateTimeOffset.Parse(line.Split(' ', 2)[0], CultureInfo.InvariantCulture));
        }

        DateTimeOffset.Parse(first!.Split(' ', 2)[0], CultureInfo.InvariantCulture).ShouldBeLessThanOrEqualTo(opened);
        later.Count.ShouldBe(5);
        later.ShouldAllBe(t => t > opened && t <= opened.AddSeconds(30));
    }

    [Fact]
    public async Task LogsAsync_ClusterHangs_TimesOutWithinRequestTimeout()
    {
        await RunPodAsync("web", "web:1", p => Container(p)?["state"]?["running"] is not null);
        await using var proxy = FaultProxy.Start("127.0.0.1", _sandbox.Connection.Server.Port);
        proxy.Mode = FaultMode.Hang;
        var client = new KubernetesRestClient(_sandbox.Http(_sandbox.Connection with { Server = new Uri($"https://127.0.0.1:{proxy.Port}") }))
        {
            RequestTimeout = TimeSpan.FromSeconds(1),
        };

        var started = System.Diagnostics.Stopwatch.StartNew();
        var error = await Should.ThrowAsync<KubernetesApiException>(() => client.LogsAsync(RunningSandbox.Ns, "web", new LogOptions(Follow: true), CancellationToken.None));

        error.StatusCode.ShouldBe(HttpStatusCode.GatewayTimeout);
        error.Reason.ShouldBe("Timeout");
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), "the deadline, not the caller, ended the wait");
        proxy.AcceptedConnections.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task LogsAsync_Follow_OutlivesTheRequestTimeout()
    {
        // The deadline is for the answer's head: a followed log keeps streaming long after it.
        await RunPodAsync("web", "web:1", p => Container(p)?["state"]?["running"] is not null);
        var client = new KubernetesRestClient(_sandbox.Http()) { RequestTimeout = TimeSpan.FromSeconds(2) };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await using var stream = await client.LogsAsync(RunningSandbox.Ns, "web", new LogOptions(TailLines: 1, Follow: true), timeout.Token);
        using var reader = new StreamReader(stream);
        (await reader.ReadLineAsync(timeout.Token)).ShouldNotBeNull();
        await Task.Delay(TimeSpan.FromSeconds(3));
        _clock.Advance(TimeSpan.FromSeconds(30));

        (await reader.ReadLineAsync(timeout.Token)).ShouldNotBeNull("a line written after the deadline would have passed");
    }
}
