using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;

namespace Portal.Benchmarks;

/// <summary>
/// Changes pods of one namespace at a steady rate through the cluster's API: alternately creates a pod with a new
/// name and deletes the oldest it created. Names count down (<c>00c-999999</c>, <c>00c-999998</c>, …) so the newest
/// pod sorts first and is always in the rows a pods view shows; <see cref="FindAll"/> reads them back out of bytes.
/// </summary>
internal sealed class PodChurn(KubernetesRestClient kube, string ns)
{
    private const string Prefix = "00c-";
    private static readonly byte[] PrefixBytes = "00c-"u8.ToArray();
    private readonly ConcurrentQueue<string> _live = new();
    private int _next;

    /// <summary>Pods of ours kept standing, so that a deletion always has one to take.</summary>
    public const int Standing = 40;

    public static string Name(int sequence) => Prefix + (999_999 - sequence).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Every churn pod sequence named in <paramref name="bytes"/> (a render batch's string table holds names as UTF-8).</summary>
    public static void FindAll(ReadOnlySpan<byte> bytes, Action<int> found)
    {
        while (true)
        {
            var at = bytes.IndexOf(PrefixBytes);
            if (at < 0 || at + PrefixBytes.Length + 6 > bytes.Length)
            {
                return;
            }

            bytes = bytes[(at + PrefixBytes.Length)..];
            var value = 0;
            var digits = 0;
            for (; digits < 6 && bytes[digits] is >= (byte)'0' and <= (byte)'9'; digits++)
            {
                value = (value * 10) + (bytes[digits] - '0');
            }

            if (digits == 6)
            {
                found(999_999 - value);
            }
        }
    }

    /// <summary>Creates <see cref="Standing"/> pods, one after another.</summary>
    public async Task FillAsync()
    {
        while (_live.Count < Standing)
        {
            await CreateAsync(Interlocked.Increment(ref _next));
        }
    }

    /// <summary>
    /// <paramref name="changesPerSecond"/> changes a second for <paramref name="duration"/>, alternating a creation and a
    /// deletion; returns each created pod's sequence and the <see cref="Stopwatch"/> ticks just before its request.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, long>> RunAsync(TimeSpan duration, int changesPerSecond, Action<string>? error = null)
    {
        var created = new ConcurrentDictionary<int, long>();
        var interval = TimeSpan.FromSeconds(1.0 / changesPerSecond);
        using var gate = new SemaphoreSlim(32);
        var inflight = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var i = 0L; clock.Elapsed < duration; i++)
        {
            var due = interval * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            await gate.WaitAsync();
            Func<Task> change = i % 2 == 0
                ? () =>
                {
                    var sequence = Interlocked.Increment(ref _next);
                    created[sequence] = Stopwatch.GetTimestamp();
                    return CreateAsync(sequence);
                }
                : () => _live.TryDequeue(out var oldest) ? kube.DeleteAsync(ResourcePath.Pods(ns), oldest, gracePeriodSeconds: 0) : Task.CompletedTask;
            inflight.Add(Task.Run(async () =>
            {
                try
                {
                    await change();
                }
                catch (Exception e) when (e is HttpRequestException or KubernetesApiException or TaskCanceledException)
                {
                    error?.Invoke(e.Message);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(inflight);
        return created;
    }

    private async Task CreateAsync(int sequence)
    {
        var name = Name(sequence);
        var manifest = $$$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{{name}}}}","namespace":"{{{{ns}}}}"},"spec":{"containers":[{"name":"c","image":"registry.portal.test/churn:1","resources":{"requests":{"cpu":"1m","memory":"1Mi"}}}]}}""";
        await kube.ApplyAsync(ResourcePath.Pods(ns), name, manifest, KubernetesJson.Default.Pod);
        _live.Enqueue(name);
    }
}
