using Portal.Core.Resources;
using System.Globalization;
using System.Text.Json.Nodes;
using Portal.Kubernetes.Model;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Runtime;

/// <summary>One log line a container wrote.</summary>
public readonly record struct LogLine(DateTimeOffset Time, string Text);

/// <summary>
/// What a running container does, derived deterministically from the pod's uid, the container and the second:
/// application log lines (levels, HTTP access lines with status and latency, occasional errors, a fatal line before a
/// crash) and CPU and memory use near its requests. An image whose tag contains <c>errors</c> (the sandbox's "made to
/// return errors" fault, as <c>crash</c> and <c>bad</c> are the kubelet's) answers about half its requests with 500 or
/// 503; deploying a tag without it is the fix. Nothing is kept in memory, so thousands of pods cost nothing,
/// the same second always reads the same, and logs survive a restart of the sandbox.
/// </summary>
public static class SimulatedWorkload
{
    private static readonly string[] Paths = ["/api/orders", "/api/orders/{id}", "/api/payments", "/api/payments/{id}/capture", "/api/cart", "/api/items/{id}", "/healthz", "/api/users/{id}", "/api/search"];
    private static readonly string[] Methods = ["GET", "GET", "GET", "GET", "POST", "PUT", "DELETE"];
    private static readonly string[] Upstreams = ["inventory-api", "payments-db", "orders-db", "redis", "notifications"];

    /// <summary>When one run of a container started and (if it has) ended; <paramref name="Failing"/>: its image has the <c>errors</c> fault.</summary>
    public sealed record Run(string PodUid, string Service, string Container, int Instance, DateTimeOffset Started, DateTimeOffset? Finished, bool Crashed, bool Failing = false);

    /// <summary>Whether an image carries the <c>errors</c> fault (in its tag, as the kubelet reads <c>crash</c> and <c>bad</c>).</summary>
    public static bool ReturnsErrors(string? image) => Tag(image).Contains("errors", StringComparison.Ordinal);

    /// <summary>An image's tag: what follows the last <c>:</c> of its last path segment, else <c>latest</c>.</summary>
    public static string Tag(string? image)
    {
        var name = (image ?? "").Split('/')[^1];
        return name.Contains(':', StringComparison.Ordinal) ? name[(name.LastIndexOf(':') + 1)..] : "latest";
    }

    /// <summary>The current run, or the previous one; null when that run does not exist (never started, no previous).</summary>
    public static Run? RunOf(JsonObject pod, string container, bool previous)
    {
        var status = J.Objects(J.At(pod, "status", "containerStatuses")).FirstOrDefault(c => J.Str(c, "name") == container);
        if (status is null)
        {
            return null;
        }

        var restarts = (int)(J.Long(status, "restartCount") ?? 0);
        var service = J.Str(pod, "metadata", "labels", "app") ?? container;
        // A container waiting to restart after a crash has no run of its own yet: like the kubelet, its log is its
        // last run's (the one --previous also shows).
        var waitingAfterCrash = !previous && J.At(status, "state", "waiting") is not null && J.At(status, "lastState", "terminated") is not null;
        if (waitingAfterCrash)
        {
            previous = true;
        }

        var state = previous ? J.At(status, "lastState") : J.At(status, "state");
        var terminated = J.At(state, "terminated");
        var started = J.ParseTime(J.Str(terminated, "startedAt") ?? J.Str(state, "running", "startedAt"));
        if (started is null)
        {
            return null;
        }

        var finished = J.ParseTime(J.Str(terminated, "finishedAt"));
        var image = J.Objects(J.At(pod, "spec", "containers")).Where(c => J.Str(c, "name") == container).Select(c => J.Str(c, "image")).FirstOrDefault();
        return new Run(J.Uid(pod), service, container, previous ? restarts - 1 : restarts, started.Value, finished, (J.Long(terminated, "exitCode") ?? 0) != 0, ReturnsErrors(image));
    }

    /// <summary>The lines of a run, oldest first, from <paramref name="since"/> (or the start) up to <paramref name="until"/>.</summary>
    public static IEnumerable<LogLine> Lines(Run run, DateTimeOffset since, DateTimeOffset until)
    {
        var end = run.Finished is { } f && f < until ? f : until;
        var first = Math.Max(Seconds(run.Started), Seconds(since));
        for (var s = first; s <= Seconds(end); s++)
        {
            foreach (var line in Second(run, s))
            {
                if (line.Time >= since && line.Time <= end)
                {
                    yield return line;
                }
            }
        }
    }

    /// <summary>The last <paramref name="count"/> lines of a run up to <paramref name="until"/>, oldest first.</summary>
    public static IReadOnlyList<LogLine> Tail(Run run, int count, DateTimeOffset until)
    {
        var end = run.Finished is { } f && f < until ? f : until;
        // Newest second first, each second's lines newest first; reversed once at the end (not inserted at the front).
        var lines = new List<LogLine>();
        for (var s = Seconds(end); s >= Seconds(run.Started) && lines.Count < count; s--)
        {
            lines.AddRange(Second(run, s).Where(l => l.Time <= end).Reverse());
        }

        lines.Reverse();
        return lines.Count > count ? lines[^count..] : lines;
    }

    /// <summary>CPU (millicores) and memory (bytes) a container uses now, wandering around its requests.</summary>
    public static (long CpuMillis, long MemoryBytes) Usage(string podUid, JsonObject container, DateTimeOffset now)
    {
        var requests = J.At(container, "resources", "requests");
        var cpu = Quantity.CpuMillis(J.Str(requests, "cpu")) is > 0 and var c ? c : 100;
        var memory = Quantity.Bytes(J.Str(requests, "memory")) is > 0 and var m ? m : 128L << 20;
        var name = J.Str(container, "name") ?? "";
        var minute = now.ToUnixTimeSeconds() / 60.0;
        var cpuFactor = 0.15 + (0.8 * Smooth(Hash(podUid, name, "cpu"), minute));
        var memoryFactor = 0.45 + (0.4 * Smooth(Hash(podUid, name, "mem"), minute / 10));
        return ((long)(cpu * cpuFactor), (long)(memory * memoryFactor));
    }

    private static IEnumerable<LogLine> Second(Run run, long second)
    {
        var start = Seconds(run.Started);
        if (second == start)
        {
            yield return new(At(second, 1), $"level=info msg=\"starting {run.Service}\" container={run.Container} port=8080 instance={run.Instance}");
        }

        var h = Hash(run.PodUid, run.Container, second.ToString(CultureInfo.InvariantCulture));
        var count = (int)(h % 3);
        for (var i = 0; i < count; i++)
        {
            var r = Hash(run.PodUid, run.Container, $"{second}/{i}");
            yield return new(At(second, 100 + (i * 300) + (int)(r % 250)), Line(run, r));
        }

        if (run.Crashed && run.Finished is { } f && second == Seconds(f))
        {
            yield return new(f, $"level=fatal msg=\"panic: runtime error: invalid memory address or nil pointer dereference\" service={run.Service}");
        }
    }

    private static string Line(Run run, ulong r)
    {
        var roll = r % 100;
        var method = Methods[(int)(r / 7 % (ulong)Methods.Length)];
        var path = Paths[(int)(r / 131 % (ulong)Paths.Length)].Replace("{id}", (r / 1009 % 9000 + 1000).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var latency = (r / 17 % 120) + 3 + (roll > 93 ? r / 3 % 2400 : 0);
        var upstream = Upstreams[(int)(r / 53 % (ulong)Upstreams.Length)];
        if (run.Failing && roll < 80 && r / 65_537 % 2 == 0)
        {
            // The errors fault: every other request that would have succeeded fails as the occasional ones do.
            roll = 97 + (r / 257 % 3);
        }

        return roll switch
        {
            < 80 => $"level=info msg=\"{method} {path}\" method={method} path={path} status={(roll < 76 ? 200 : roll < 78 ? 201 : 404)} latency_ms={latency} service={run.Service}",
            < 90 => $"level=debug msg=\"cache {(roll % 2 == 0 ? "hit" : "miss")}\" key={path} service={run.Service}",
            < 97 => $"level=warn msg=\"slow call to {upstream}\" upstream={upstream} latency_ms={latency + 500} service={run.Service}",
            _ => $"level=error msg=\"{method} {path} failed: upstream {upstream} timed out\" method={method} path={path} status={(roll == 99 ? 503 : 500)} latency_ms={latency + 3000} upstream={upstream} service={run.Service}",
        };
    }

    private static double Smooth(ulong seed, double t)
    {
        var i = (long)Math.Floor(t);
        var a = Noise(seed, i);
        var b = Noise(seed, i + 1);
        var x = t - i;
        return a + ((b - a) * x * x * (3 - (2 * x)));
    }

    private static double Noise(ulong seed, long i) => Hash(seed.ToString(CultureInfo.InvariantCulture), i.ToString(CultureInfo.InvariantCulture), "") % 10_000 / 10_000.0;

    private static long Seconds(DateTimeOffset t) => t.ToUnixTimeSeconds();

    private static DateTimeOffset At(long second, int millis) => DateTimeOffset.FromUnixTimeSeconds(second).AddMilliseconds(millis);

    /// <summary>FNV-1a 64 over the parts: stable across processes and versions (unlike string.GetHashCode).</summary>
    internal static ulong Hash(string a, string b, string c)
    {
        var h = 14695981039346656037UL;
        foreach (var part in new[] { a, b, c })
        {
            foreach (var ch in part)
            {
                h = (h ^ ch) * 1099511628211UL;
            }

            h = (h ^ 0xff) * 1099511628211UL;
        }

        return h;
    }
}
