namespace Portal.Web.Hosting;

/// <summary>
/// Settings of the <c>Circuits</c> section: what one Blazor Server circuit (an open tab) and its SignalR connection may
/// hold and for how long. Named as the framework's <c>CircuitOptions</c> and <c>HubOptions</c> they set; the defaults
/// come from measuring the pods view under load (docs/benchmarks.md, "Issue 10") and are explained in the README.
/// </summary>
public sealed class CircuitLimitsOptions
{
    public const string SectionName = "Circuits";

    /// <summary>How long a tab whose connection dropped keeps its circuit (state, scroll, filters) to reconnect to. A
    /// laptop lid closed over lunch loses it; a Wi-Fi blip or a proxy restart does not.</summary>
    public TimeSpan DisconnectedCircuitRetentionPeriod { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Disconnected circuits kept at once (the oldest go first). A retained view keeps following the cluster, so
    /// it costs like an open one: 50 is what one process was measured to hold within its latency target (docs/benchmarks.md), which
    /// bounds what a wave of dropped connections (a restart of the proxy) costs.</summary>
    public int DisconnectedCircuitMaxRetained { get; set; } = 50;

    /// <summary>Render batches sent and not yet applied by the browser before the circuit stops rendering and waits:
    /// a slow or stalled tab then costs the server one diff's memory, not an unbounded queue.</summary>
    public int MaxBufferedUnacknowledgedRenderBatches { get; set; } = 10;

    /// <summary>How long a call into the browser (Radzen's popups, Virtualize, focus) may take before it fails.</summary>
    public TimeSpan JSInteropDefaultCallTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Largest message a browser may send (events, JS interop results). Portal's forms and events are small;
    /// a larger limit would let one tab make the server buffer that much per message.</summary>
    public long MaximumReceiveMessageSize { get; set; } = 32 * 1024;

    /// <summary>Silence from a browser after which its connection counts as lost (it then reconnects or is retained as
    /// disconnected). At least twice <see cref="KeepAliveInterval"/>, as the browser pings at that interval.</summary>
    public TimeSpan ClientTimeoutInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the server pings an idle connection, which also keeps proxies from closing it.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Hub calls from one browser handled at once. Blazor's messages of one circuit are handled in order
    /// anyway; one keeps a tab from occupying more than one thread-pool thread.</summary>
    public int MaximumParallelInvocationsPerClient { get; set; } = 1;
}
