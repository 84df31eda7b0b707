using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Core.Alarms;
using Portal.Sandbox.Aws.CloudTrail;

namespace Portal.Sandbox.Aws.CloudWatch;

/// <summary>A metric alarm with its state, as <c>DescribeAlarms</c> reports it.</summary>
internal sealed record SandboxAlarm(
    MetricAlarmDefinition Definition,
    string Arn,
    DateTimeOffset ConfigurationUpdated,
    AlarmState State,
    string StateReason,
    string? StateReasonData,
    DateTimeOffset StateUpdated,
    DateTimeOffset StateTransitioned)
{
    public string Name => Definition.Name;
}

/// <summary>One <c>AlarmHistoryItem</c>; <see cref="Sequence"/> orders items of the same millisecond.</summary>
internal sealed record HistoryEntry(long Sequence, string AlarmName, DateTimeOffset Timestamp, AlarmHistoryKind Kind, string Summary, string Data);

/// <summary>
/// The sandbox CloudWatch's alarms: their definitions (created and deleted as by <c>PutMetricAlarm</c> and
/// <c>DeleteAlarms</c>, each call recorded in the trail), their states, evaluated once a period right after it closes
/// by <see cref="AlarmEvaluator"/>, and their history (<c>ConfigurationUpdate</c> and <c>StateUpdate</c> items), which,
/// as in CloudWatch, outlives a deleted alarm and is kept two weeks. All of it is saved in one JSON file, atomically.
/// </summary>
internal sealed class SandboxAlarms
{
    public const string EventSource = "monitoring.amazonaws.com";

    /// <summary>Who the sandbox is when it manages alarms: the trail's username for its calls.</summary>
    public const string Caller = "sandbox";

    /// <summary>CloudWatch preserves alarm history for two weeks.</summary>
    public static readonly TimeSpan HistoryRetention = TimeSpan.FromDays(14);

    private const int HistoryCapacity = 10_000;

    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, SandboxAlarm> _alarms = new(StringComparer.Ordinal);
    private readonly List<HistoryEntry> _history = [];   // oldest first
    private readonly Dictionary<string, DateTimeOffset> _evaluatedUntil = new(StringComparer.Ordinal);
    private readonly string _path;
    private readonly MetricStore _metrics;
    private readonly SandboxTrail _trail;
    private readonly TimeProvider _clock;
    private long _sequence;
    private bool _dirty;

    public SandboxAlarms(string path, MetricStore metrics, SandboxTrail trail, TimeProvider clock)
    {
        _path = path;
        _metrics = metrics;
        _trail = trail;
        _clock = clock;
        Load();
    }

    public string Arn(string name) => $"arn:aws:cloudwatch:{_trail.Region}:{_trail.AccountId}:alarm:{name}";

    /// <summary>Every alarm, by name.</summary>
    public IReadOnlyList<SandboxAlarm> List()
    {
        lock (_lock)
        {
            return [.. _alarms.Values];
        }
    }

    public SandboxAlarm? Find(string name)
    {
        lock (_lock)
        {
            return _alarms.GetValueOrDefault(name);
        }
    }

    /// <summary>Every history item, oldest first.</summary>
    public IReadOnlyList<HistoryEntry> History()
    {
        lock (_lock)
        {
            return [.. _history];
        }
    }

    /// <summary>Creates the alarm (in INSUFFICIENT_DATA) or replaces its configuration (its state stays), as PutMetricAlarm does.</summary>
    /// <exception cref="ArgumentException">A definition CloudWatch, or the sandbox, does not accept.</exception>
    public SandboxAlarm Put(MetricAlarmDefinition definition, TrailCaller caller)
    {
        AlarmEvaluator.Validate(definition.Condition);
        var now = _clock.GetUtcNow();
        SandboxAlarm alarm;
        lock (_lock)
        {
            var existing = _alarms.GetValueOrDefault(definition.Name);
            var created = AlarmJson.Definition(definition);
            if (existing is null)
            {
                alarm = new SandboxAlarm(definition, Arn(definition.Name), now, AlarmState.InsufficientData, "Unchecked: Initial alarm creation", null, now, now);
                AddHistory(definition.Name, now, AlarmHistoryKind.ConfigurationUpdate, $"Alarm \"{definition.Name}\" created",
                    new JsonObject { ["type"] = "Create", ["version"] = "1.0", ["createdAlarm"] = created });
            }
            else
            {
                alarm = existing with { Definition = definition, ConfigurationUpdated = now };
                AddHistory(definition.Name, now, AlarmHistoryKind.ConfigurationUpdate, $"Alarm \"{definition.Name}\" updated",
                    new JsonObject { ["type"] = "Update", ["version"] = "1.0", ["originalAlarm"] = AlarmJson.Definition(existing.Definition), ["updatedAlarm"] = created });
            }

            _alarms[definition.Name] = alarm;
            _dirty = true;
        }

        var parameters = AlarmJson.Definition(definition);
        parameters.Remove("tags");
        parameters["tags"] = new JsonArray([.. definition.Tags.Select(t => (JsonNode)new JsonObject { ["key"] = t.Key, ["value"] = t.Value })]);
        _trail.Record(EventSource, "PutMetricAlarm", caller, parameters, [new TrailResource("AWS::CloudWatch::Alarm", definition.Name)]);
        return alarm;
    }

    /// <summary>Deletes the alarms that exist among <paramref name="names"/>, as DeleteAlarms does; their history stays.</summary>
    public void Delete(IReadOnlyList<string> names, TrailCaller caller)
    {
        var now = _clock.GetUtcNow();
        var deleted = new List<string>();
        lock (_lock)
        {
            foreach (var name in names)
            {
                if (_alarms.Remove(name, out var alarm))
                {
                    _evaluatedUntil.Remove(name);
                    AddHistory(name, now, AlarmHistoryKind.ConfigurationUpdate, $"Alarm \"{name}\" deleted",
                        new JsonObject { ["type"] = "Delete", ["version"] = "1.0", ["deletedAlarm"] = AlarmJson.Definition(alarm.Definition) });
                    deleted.Add(name);
                }
            }

            _dirty |= deleted.Count > 0;
        }

        if (deleted.Count > 0)
        {
            _trail.Record(EventSource, "DeleteAlarms", caller, new JsonObject { ["alarmNames"] = new JsonArray([.. deleted.Select(n => (JsonNode)n)]) },
                [.. deleted.Select(n => new TrailResource("AWS::CloudWatch::Alarm", n))]);
        }
    }

    /// <summary>
    /// Evaluates every alarm one of whose periods ended at or before <paramref name="closedUntil"/> (all metric data
    /// before it is published) and was not evaluated yet; records the transitions.
    /// </summary>
    public void Evaluate(DateTimeOffset closedUntil)
    {
        var queryDate = _clock.GetUtcNow();
        lock (_lock)
        {
            foreach (var alarm in _alarms.Values.ToList())
            {
                var condition = alarm.Definition.Condition;
                var period = condition.PeriodSeconds;
                var boundary = DateTimeOffset.FromUnixTimeSeconds(closedUntil.ToUnixTimeSeconds() / period * period);
                if (_evaluatedUntil.TryGetValue(alarm.Name, out var until) && until >= boundary)
                {
                    continue;
                }

                _evaluatedUntil[alarm.Name] = boundary;
                var count = AlarmEvaluator.EvaluationRange(condition.EvaluationPeriods);
                var start = boundary.AddSeconds(-(long)count * period);
                var data = _metrics.Read(MetricId.Of(condition.Metric!), condition.Metric!.Unit, start, boundary, period).ToDictionary(d => d.Start, d => d.Values);
                var range = Enumerable.Range(0, count).Select(i => start.AddSeconds((long)i * period)).Select(s => data.TryGetValue(s, out var values)
                    ? new PeriodValue(s, values.Value(condition.Metric.Statistic), values.SampleCount)
                    : PeriodValue.Missing(s)).ToList();
                if (AlarmEvaluator.Evaluate(condition, range, alarm.State, queryDate) is { } outcome && outcome.State != alarm.State)
                {
                    Transition(alarm, outcome, queryDate);
                }
            }
        }
    }

    /// <summary>Writes the file if anything changed since the last save (atomically: temp file, then move).</summary>
    public void Save()
    {
        JsonObject state;
        lock (_lock)
        {
            if (!_dirty)
            {
                return;
            }

            Prune(_clock.GetUtcNow());
            state = new JsonObject
            {
                ["sequence"] = _sequence,
                ["alarms"] = new JsonArray([.. _alarms.Values.Select(a => (JsonNode)new JsonObject
                {
                    ["definition"] = AlarmJson.Definition(a.Definition),
                    ["configurationUpdated"] = a.ConfigurationUpdated.ToUnixTimeMilliseconds(),
                    ["state"] = CloudWatchNames.State(a.State),
                    ["stateReason"] = a.StateReason,
                    ["stateReasonData"] = a.StateReasonData,
                    ["stateUpdated"] = a.StateUpdated.ToUnixTimeMilliseconds(),
                    ["stateTransitioned"] = a.StateTransitioned.ToUnixTimeMilliseconds(),
                })]),
                ["history"] = new JsonArray([.. _history.Select(h => (JsonNode)new JsonObject
                {
                    ["sequence"] = h.Sequence,
                    ["alarm"] = h.AlarmName,
                    ["t"] = h.Timestamp.ToUnixTimeMilliseconds(),
                    ["kind"] = h.Kind.ToString(),
                    ["summary"] = h.Summary,
                    ["data"] = h.Data,
                })]),
            };
            _dirty = false;
        }

        var temp = _path + ".tmp";
        File.WriteAllText(temp, state.ToJsonString());
        File.Move(temp, _path, overwrite: true);
    }

    private void Transition(SandboxAlarm alarm, AlarmOutcome outcome, DateTimeOffset now)
    {
        var updated = alarm with { State = outcome.State, StateReason = outcome.Reason, StateReasonData = outcome.ReasonData, StateUpdated = now, StateTransitioned = now };
        _alarms[alarm.Name] = updated;
        AddHistory(alarm.Name, now, AlarmHistoryKind.StateUpdate, $"Alarm updated from {CloudWatchNames.State(alarm.State)} to {CloudWatchNames.State(outcome.State)}",
            new JsonObject { ["version"] = "1.0", ["oldState"] = StateJson(alarm.State, alarm.StateReason, alarm.StateReasonData), ["newState"] = StateJson(outcome.State, outcome.Reason, outcome.ReasonData) });
        _dirty = true;
    }

    private static JsonObject StateJson(AlarmState state, string reason, string? reasonData)
    {
        var json = new JsonObject { ["stateValue"] = CloudWatchNames.State(state), ["stateReason"] = reason };
        if (reasonData is not null)
        {
            json["stateReasonData"] = JsonNode.Parse(reasonData);
        }

        return json;
    }

    private void AddHistory(string alarm, DateTimeOffset at, AlarmHistoryKind kind, string summary, JsonObject data) =>
        _history.Add(new HistoryEntry(++_sequence, alarm, at, kind, summary, data.ToJsonString()));

    private void Prune(DateTimeOffset now)
    {
        var keep = _history.FindIndex(h => h.Timestamp >= now - HistoryRetention);
        var drop = Math.Max(keep < 0 ? _history.Count : keep, _history.Count - HistoryCapacity);
        _history.RemoveRange(0, Math.Max(0, drop));
    }

    private void Load()
    {
        if (!File.Exists(_path))
        {
            return;
        }

        JsonObject state;
        try
        {
            state = JsonNode.Parse(File.ReadAllText(_path)) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return;   // written atomically, so only a foreign file gets here: start afresh rather than not at all
        }

        _sequence = (long?)state["sequence"] ?? 0;
        foreach (var a in (state["alarms"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var definition = AlarmJson.Parse((JsonObject)a["definition"]!);
            _alarms[definition.Name] = new SandboxAlarm(
                definition,
                Arn(definition.Name),
                DateTimeOffset.FromUnixTimeMilliseconds((long)a["configurationUpdated"]!),
                CloudWatchNames.ParseState((string)a["state"]!),
                (string)a["stateReason"]!,
                (string?)a["stateReasonData"],
                DateTimeOffset.FromUnixTimeMilliseconds((long)a["stateUpdated"]!),
                DateTimeOffset.FromUnixTimeMilliseconds((long)a["stateTransitioned"]!));
        }

        foreach (var h in (state["history"] as JsonArray ?? []).OfType<JsonObject>())
        {
            _history.Add(new HistoryEntry((long)h["sequence"]!, (string)h["alarm"]!, DateTimeOffset.FromUnixTimeMilliseconds((long)h["t"]!),
                Enum.Parse<AlarmHistoryKind>((string)h["kind"]!), (string)h["summary"]!, (string)h["data"]!));
        }
    }
}
