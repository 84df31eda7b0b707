using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Core.Logs;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Logs;

/// <summary>
/// What Fluent Bit's tail input, kubernetes filter and logfmt parser do on a node, for the sandbox's pods: every
/// container's new lines become records with <c>@timestamp</c>, <c>log</c>, the parsed <c>key=value</c> fields
/// (numbers as numbers) and <c>kubernetes.*</c> metadata. Positions are kept in a file, like Fluent Bit's <c>DB</c>,
/// and only move on <see cref="Commit"/> after the records were stored: at least once, never a gap.
/// </summary>
public sealed class SandboxLogShipper
{
    private static readonly ResourceType Pods = ResourceTypes.Pods;
    private readonly ObjectStore _store;
    private readonly string _positionsPath;
    private readonly TimeSpan _backfill;
    private Dictionary<string, DateTimeOffset> _positions;
    private Dictionary<string, DateTimeOffset> _pending = [];

    public SandboxLogShipper(ObjectStore store, string positionsPath, TimeSpan backfill)
    {
        _store = store;
        _positionsPath = positionsPath;
        _backfill = backfill;
        _positions = Load(positionsPath);
    }

    /// <summary>Every line written since the last commit up to <paramref name="until"/>, with at most <paramref name="max"/> records.</summary>
    public IReadOnlyList<IngestDocument> Collect(DateTimeOffset until, int max = 20_000)
    {
        var documents = new List<IngestDocument>();
        _pending = new Dictionary<string, DateTimeOffset>(_positions, StringComparer.Ordinal);
        foreach (var pod in _store.List(Pods))
        {
            foreach (var container in J.Objects(J.At(pod, "status", "containerStatuses")).Select(c => J.Str(c, "name")).OfType<string>())
            {
                var key = $"{J.Uid(pod)}/{container}";
                var since = _pending.TryGetValue(key, out var position) ? position.AddTicks(1) : until - _backfill;
                // The previous run for its last lines before a restart; a container waiting after a crash reports that
                // same run as its current one, hence Distinct.
                var runs = new[] { SimulatedWorkload.RunOf(pod, container, previous: true), SimulatedWorkload.RunOf(pod, container, previous: false) };
                foreach (var run in runs.OfType<SimulatedWorkload.Run>().Distinct())
                {
                    if (run.Finished is { } f && f < since)
                    {
                        continue;
                    }

                    foreach (var line in SimulatedWorkload.Lines(run, since, until))
                    {
                        documents.Add(new IngestDocument(null, Record(pod, container, line)));
                    }
                }

                _pending[key] = until;
                if (documents.Count >= max)
                {
                    return documents;
                }
            }
        }

        return documents;
    }

    /// <summary>The collected records were stored: positions move on and are saved.</summary>
    public void Commit()
    {
        var live = _store.List(Pods).Select(J.Uid).ToHashSet(StringComparer.Ordinal);
        _positions = _pending.Where(p => live.Contains(p.Key[..p.Key.IndexOf('/', StringComparison.Ordinal)])).ToDictionary(StringComparer.Ordinal);
        var temporary = _positionsPath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(_positions));
        File.Move(temporary, _positionsPath, overwrite: true);
    }

    /// <summary>A Fluent Bit Kubernetes record for one line.</summary>
    public static JsonObject Record(JsonObject pod, string container, LogLine line)
    {
        var record = new JsonObject
        {
            ["@timestamp"] = line.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["log"] = line.Text,
            ["stream"] = "stdout",
        };
        foreach (var (key, value) in Logfmt(line.Text).Where(p => !record.ContainsKey(p.Key) && p.Key != "kubernetes"))
        {
            record[key] = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(value);
        }

        var image = J.Objects(J.At(pod, "spec", "containers")).FirstOrDefault(c => J.Str(c, "name") == container) is { } spec ? J.Str(spec, "image") : null;
        record["kubernetes"] = new JsonObject
        {
            ["namespace_name"] = J.Namespace(pod),
            ["pod_name"] = J.Name(pod),
            ["pod_id"] = J.Uid(pod),
            ["container_name"] = container,
            ["container_image"] = image,
            ["host"] = J.Str(pod, "spec", "nodeName"),
            ["labels"] = J.ToJson(J.Labels(pod)),
        };
        return record;
    }

    /// <summary><c>key=value</c> and <c>key="quoted value"</c> pairs, as Fluent Bit's logfmt parser reads them.</summary>
    public static IEnumerable<(string Key, string Value)> Logfmt(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            var keyStart = i;
            while (i < text.Length && text[i] is not ('=' or ' '))
            {
                i++;
            }

            var key = text[keyStart..i];
            if (i >= text.Length || text[i] != '=' || key.Length == 0)
            {
                i += i < text.Length && text[i] == '=' ? 1 : 0;   // a stray '=' with no key is skipped
                continue;
            }

            i++;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1);
                end = end < 0 ? text.Length : end;
                value = text[(i + 1)..end];
                i = Math.Min(end + 1, text.Length);
            }
            else
            {
                var start = i;
                while (i < text.Length && text[i] != ' ')
                {
                    i++;
                }

                value = text[start..i];
            }

            yield return (key, value);
        }
    }

    private static Dictionary<string, DateTimeOffset> Load(string path)
    {
        try
        {
            return File.Exists(path)
                ? JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>(File.ReadAllText(path)) ?? []
                : [];
        }
        catch (JsonException)
        {
            // A torn positions file costs a re-read of the backfill window, as Fluent Bit's does without its DB.
            return [];
        }
    }
}
