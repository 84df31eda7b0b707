using System.Globalization;
using System.Text.Json.Nodes;
using Portal.Core.Alarms;

namespace Portal.Sandbox.Aws.CloudTrail;

/// <summary>One management event as <c>LookupEvents</c> returns it (the model's <c>Event</c> shape).</summary>
internal sealed record TrailRecord(
    string EventId,
    DateTimeOffset Time,
    string EventName,
    string EventSource,
    string Username,
    bool ReadOnly,
    string? AccessKeyId,
    IReadOnlyList<TrailResource> Resources,
    string CloudTrailEvent);

/// <summary>Who made a call, for the event's <c>userIdentity</c>, and with what client from where.</summary>
internal sealed record TrailCaller(string Username, string? UserAgent, string? SourceAddress);

/// <summary>
/// The sandbox's CloudTrail: the management events of the infrastructure changes it serves (the Kubernetes API's
/// writes, the alarms it creates and deletes), newest first, each with a realistic <c>CloudTrailEvent</c> JSON. As
/// CloudTrail's event history, it keeps <see cref="Retention"/> (90 days), and at most <see cref="Capacity"/> events.
/// Events are appended to a JSON-lines file as they happen and read back on start.
/// </summary>
internal sealed class SandboxTrail
{
    public const int Capacity = 100_000;

    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    private readonly Lock _lock = new();
    private readonly List<TrailRecord> _events = [];   // oldest first
    private readonly JsonLinesFile _file;
    private readonly TimeProvider _clock;

    public SandboxTrail(string path, TimeProvider clock, string accountId, string region)
    {
        _file = new JsonLinesFile(path);
        _clock = clock;
        AccountId = accountId;
        Region = region;
        var loaded = _file.Load().Select(Parse).OrderBy(e => e.Time).ToList();
        _events.AddRange(loaded);
        if (Prune(clock.GetUtcNow(), slack: 0) > 0)
        {
            _file.Rewrite(_events.Select(Serialize));
        }
    }

    public string AccountId { get; }

    public string Region { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>Records a write call, now, and returns the event.</summary>
    public TrailRecord Record(string eventSource, string eventName, TrailCaller caller, JsonObject? requestParameters, IReadOnlyList<TrailResource> resources, JsonObject? responseElements = null)
    {
        var now = _clock.GetUtcNow();
        var id = Guid.NewGuid().ToString();
        var detail = new JsonObject
        {
            ["eventVersion"] = "1.09",
            ["userIdentity"] = new JsonObject
            {
                ["type"] = "Unknown",
                ["principalId"] = caller.Username,
                ["accountId"] = AccountId,
                ["userName"] = caller.Username,
            },
            ["eventTime"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["eventSource"] = eventSource,
            ["eventName"] = eventName,
            ["awsRegion"] = Region,
            ["sourceIPAddress"] = caller.SourceAddress ?? eventSource,
            ["userAgent"] = caller.UserAgent ?? eventSource,
            ["requestParameters"] = requestParameters,
            ["responseElements"] = responseElements,
            ["requestID"] = Guid.NewGuid().ToString(),
            ["eventID"] = id,
            ["readOnly"] = false,
            ["eventType"] = "AwsApiCall",
            ["managementEvent"] = true,
            ["recipientAccountId"] = AccountId,
            ["eventCategory"] = "Management",
        };
        var record = new TrailRecord(id, now, eventName, eventSource, caller.Username, ReadOnly: false, AccessKeyId: null, resources, detail.ToJsonString());
        lock (_lock)
        {
            var at = _events.Count;
            while (at > 0 && _events[at - 1].Time > now)
            {
                at--;   // a clock that stepped back: the list stays in time order
            }

            _events.Insert(at, record);
            _file.Append([Serialize(record)]);
            if (Prune(now, slack: Capacity / 10) > 0)
            {
                _file.Rewrite(_events.Select(Serialize));
            }
        }

        return record;
    }

    /// <summary>
    /// One page of the events in [<paramref name="start"/>, <paramref name="end"/>] that <paramref name="matches"/>
    /// accepts, newest first, continuing after <paramref name="after"/> (the position a previous page returned).
    /// </summary>
    public (IReadOnlyList<TrailRecord> Events, string? Next) Lookup(Func<TrailRecord, bool> matches, DateTimeOffset start, DateTimeOffset end, int max, string? after)
    {
        lock (_lock)
        {
            var page = new List<TrailRecord>();
            var skipping = after is not null;
            for (var i = _events.Count - 1; i >= 0; i--)
            {
                var e = _events[i];
                if (skipping)
                {
                    skipping = Position(e) != after;
                    continue;
                }

                if (e.Time > end || e.Time < start || !matches(e))
                {
                    continue;
                }

                if (page.Count == max)
                {
                    return (page, Position(page[^1]));
                }

                page.Add(e);
            }

            return (page, null);
        }
    }

    /// <summary>Whether a position (from a page's end) still names an event: a pruned one cannot be continued from.</summary>
    public bool Knows(string position)
    {
        lock (_lock)
        {
            return _events.Any(e => Position(e) == position);
        }
    }

    private static string Position(TrailRecord e) => $"{e.Time.UtcTicks.ToString(CultureInfo.InvariantCulture)}/{e.EventId}";

    /// <summary>
    /// Drops the expired events and the oldest beyond capacity, once there are more than <paramref name="slack"/> of
    /// them: the file is rewritten then, so a full trail does not cost a rewrite per event.
    /// </summary>
    private int Prune(DateTimeOffset now, int slack)
    {
        var expired = 0;
        while (expired < _events.Count && _events[expired].Time < now - Retention)
        {
            expired++;
        }

        var drop = Math.Max(expired, _events.Count - Capacity);
        if (drop <= slack)
        {
            return 0;
        }

        _events.RemoveRange(0, drop);
        return drop;
    }

    private static JsonObject Serialize(TrailRecord e) => new()
    {
        ["id"] = e.EventId,
        ["t"] = e.Time.ToUnixTimeMilliseconds(),
        ["name"] = e.EventName,
        ["source"] = e.EventSource,
        ["user"] = e.Username,
        ["readOnly"] = e.ReadOnly,
        ["accessKeyId"] = e.AccessKeyId,
        ["resources"] = new JsonArray([.. e.Resources.Select(r => (JsonNode)new JsonObject { ["type"] = r.Type, ["name"] = r.Name })]),
        ["event"] = e.CloudTrailEvent,
    };

    private static TrailRecord Parse(JsonObject o) => new(
        (string)o["id"]!,
        DateTimeOffset.FromUnixTimeMilliseconds((long)o["t"]!),
        (string)o["name"]!,
        (string)o["source"]!,
        (string)o["user"]!,
        (bool)o["readOnly"]!,
        (string?)o["accessKeyId"],
        [.. o["resources"]!.AsArray().OfType<JsonObject>().Select(r => new TrailResource((string?)r["type"], (string?)r["name"]))],
        (string)o["event"]!);
}
