using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Portal.Sandbox.Kubernetes.Store;

/// <summary>A change, as a watch reports it. <see cref="Previous"/> lets a selector-filtered watch see objects move in or out.</summary>
public sealed record StoreEvent(string Type, ResourceType Resource, JsonObject Object, JsonObject? Previous, long Revision);

/// <summary>How a delete treats the object's dependents and its grace period (the API's <c>DeleteOptions</c>).</summary>
public sealed record DeleteOptions(string? PropagationPolicy = null, long? GracePeriodSeconds = null, string? ExpectedResourceVersion = null);

/// <summary>One page of a list and where the next starts.</summary>
public sealed record ListPage(IReadOnlyList<JsonObject> Items, long Revision, string? Continue, long? RemainingItemCount);

/// <summary>Runs before an object is stored; may default fields on <paramref name="obj"/> or refuse it with a <see cref="StatusError"/>.</summary>
public interface IAdmissionPlugin
{
    void Admit(ObjectStore store, ResourceType type, JsonObject obj, JsonObject? old);
}

/// <summary>
/// The sandbox's etcd and registry in one: objects by resource, namespace and name, one global resource version,
/// a bounded history that watches resume from (older versions answer 410 Gone, as after a compaction), paged lists
/// with continue tokens that expire the same way, admission, finalizers, graceful pod deletion and namespace
/// termination. Stored objects are never changed in place: every write stores a fresh copy, so readers may keep
/// what they got without locking (and must not modify it).
/// </summary>
public sealed class ObjectStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly Queue<StoreEvent> _history = new();
    private readonly List<Watcher> _watchers = [];
    private readonly TimeProvider _clock;
    private readonly int _historyCapacity;
    private long _revision;
    private long _compacted;

    public ObjectStore(TimeProvider clock, int historyCapacity = 20_000)
    {
        _clock = clock;
        _historyCapacity = historyCapacity;
        foreach (var type in ResourceTypes.All)
        {
            _objects[type.Plural] = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        }
    }

    /// <summary>Defaulting and validating plugins, run in order on every create and update.</summary>
    public List<IAdmissionPlugin> Admission { get; } = [];

    /// <summary>Raised (under the store's lock: keep handlers tiny) after every change.</summary>
    public event Action<StoreEvent>? Changed;

    public TimeProvider Clock => _clock;

    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    public JsonObject? Get(ResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects[type.Plural].GetValueOrDefault(Key(type, ns, name));
        }
    }

    public JsonObject GetRequired(ResourceType type, string? ns, string name) =>
        Get(type, ns, name) ?? throw StatusError.NotFound(type, name);

    /// <summary>Everything of a type (in one namespace, or all when <paramref name="ns"/> is null), in key order.</summary>
    public IReadOnlyList<JsonObject> List(ResourceType type, string? ns = null, LabelSelector? labels = null)
    {
        lock (_gate)
        {
            return [.. Scan(type, ns, null).Where(o => labels is null || labels.Matches(J.Labels(o)))];
        }
    }

    public ListPage ListPage(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, int limit, string? continueToken)
    {
        lock (_gate)
        {
            string? after = null;

            // Every page of one list reports the revision its first page was read at, so a watch from the list's
            // version replays whatever changed while the client was paging (or gets 410 once that is compacted).
            var listRevision = _revision;
            if (!string.IsNullOrEmpty(continueToken))
            {
                (var tokenRevision, after) = DecodeContinue(continueToken);
                listRevision = tokenRevision;
                if (tokenRevision < _compacted)
                {
                    throw StatusError.Expired(
                        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
                }
            }

            var items = new List<JsonObject>();
            string? lastKey = null;
            var remaining = 0L;
            foreach (var (key, o) in ScanWithKeys(type, ns, after))
            {
                if (!labels.Matches(J.Labels(o)) || !fields.Matches(o))
                {
                    continue;
                }

                if (limit > 0 && items.Count == limit)
                {
                    remaining++;
                    continue;
                }

                items.Add(o);
                lastKey = key;
            }

            var next = remaining > 0 ? EncodeContinue(listRevision, lastKey!) : null;
            return new ListPage(items, listRevision, next, remaining > 0 ? remaining : null);
        }
    }

    public JsonObject Create(ResourceType type, JsonObject input, bool dryRun = false)
    {
        lock (_gate)
        {
            var obj = (JsonObject)input.DeepClone();
            obj["apiVersion"] = type.GroupVersion;
            obj["kind"] = type.Kind;
            var meta = J.Meta(obj);
            if (string.IsNullOrEmpty(J.Str(meta, "name")) && J.Str(meta, "generateName") is { Length: > 0 } prefix)
            {
                meta["name"] = prefix + RandomSuffix(5);
            }

            var name = J.Name(obj);
            var ns = type.Namespaced ? J.Namespace(obj) : null;
            if (!type.Namespaced)
            {
                meta.Remove("namespace");
            }

            ObjectValidation.Validate(type, obj, null);
            if (ns is not null)
            {
                var namespaceObject = _objects[ResourceTypes.Namespaces.Plural].GetValueOrDefault(Key(ResourceTypes.Namespaces, null, ns))
                    ?? throw StatusError.NotFound(ResourceTypes.Namespaces, ns);
                if (J.IsTerminating(namespaceObject))
                {
                    throw StatusError.Forbidden(type, name, $"unable to create new content in namespace {ns} because it is being terminated");
                }
            }

            var key = Key(type, ns, name);
            if (_objects[type.Plural].ContainsKey(key))
            {
                throw StatusError.AlreadyExists(type, name);
            }

            foreach (var plugin in Admission)
            {
                plugin.Admit(this, type, obj, null);
            }

            meta.Remove("deletionTimestamp");
            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = J.Time(_clock.GetUtcNow());
            if (obj.ContainsKey("spec"))
            {
                meta["generation"] = 1;
            }

            if (type == ResourceTypes.Namespaces)
            {
                J.Obj(obj, "spec")["finalizers"] = new JsonArray("kubernetes");
                J.Obj(obj, "status")["phase"] = "Active";
                J.Obj(meta, "labels")["kubernetes.io/metadata.name"] = name;
            }

            return dryRun ? obj : Commit("ADDED", type, key, obj, null);
        }
    }

    /// <summary>Replaces an object. With <paramref name="checkVersion"/>, a stale <c>resourceVersion</c> is a 409 Conflict.</summary>
    public JsonObject Update(ResourceType type, JsonObject input, bool checkVersion = true, bool dryRun = false)
    {
        lock (_gate)
        {
            var name = J.Name(input);
            var ns = type.Namespaced ? J.Namespace(input) : null;
            var key = Key(type, ns, name);
            var old = _objects[type.Plural].GetValueOrDefault(key) ?? throw StatusError.NotFound(type, name);
            var obj = (JsonObject)input.DeepClone();
            var given = J.Str(obj, "metadata", "resourceVersion");
            if (checkVersion && !string.IsNullOrEmpty(given) && given != J.Str(old, "metadata", "resourceVersion"))
            {
                throw StatusError.Conflict(type, name);
            }

            obj["apiVersion"] = type.GroupVersion;
            obj["kind"] = type.Kind;
            var meta = J.Meta(obj);
            var oldMeta = J.Meta(old);
            foreach (var kept in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
            {
                if (oldMeta[kept] is { } value)
                {
                    meta[kept] = value.DeepClone();
                }
                else
                {
                    meta.Remove(kept);
                }
            }

            ObjectValidation.Validate(type, obj, old);
            foreach (var plugin in Admission)
            {
                plugin.Admit(this, type, obj, old);
            }

            // A terminating object whose last finalizer was just removed is gone.
            if (J.IsTerminating(old) && (J.At(obj, "metadata", "finalizers") is not JsonArray { Count: > 0 }) && type != ResourceTypes.Namespaces && type != ResourceTypes.Pods)
            {
                return RemoveLocked(type, key, old);
            }

            meta["resourceVersion"] = oldMeta["resourceVersion"]?.DeepClone();
            if (JsonNode.DeepEquals(obj, old))
            {
                return old;   // a no-op write keeps the resource version, as the API server's does
            }

            if (obj.ContainsKey("spec") && !JsonNode.DeepEquals(obj["spec"], old["spec"]))
            {
                meta["generation"] = (J.Long(old, "metadata", "generation") ?? 0) + 1;
            }

            if (dryRun)
            {
                return obj;
            }

            return Commit("MODIFIED", type, key, obj, old);
        }
    }

    /// <summary>
    /// Reads, changes and writes one object atomically (what controllers do). <paramref name="change"/> gets a copy
    /// and says whether it changed anything. Null when the object does not exist.
    /// </summary>
    public JsonObject? Mutate(ResourceType type, string? ns, string name, Func<JsonObject, bool> change)
    {
        lock (_gate)
        {
            var current = Get(type, ns, name);
            if (current is null)
            {
                return null;
            }

            var copy = (JsonObject)current.DeepClone();
            return change(copy) ? Update(type, copy, checkVersion: false) : current;
        }
    }

    /// <summary>
    /// Deletes as the API does: pods on a node terminate gracefully, namespaces terminate their contents first,
    /// finalizers hold the object, and dependents are orphaned, deleted in the foreground, or left to the garbage
    /// collector (background, the default). Returns the object as it now is (or was).
    /// </summary>
    public JsonObject Delete(ResourceType type, string? ns, string name, DeleteOptions? options = null)
    {
        options ??= new DeleteOptions();
        lock (_gate)
        {
            var key = Key(type, type.Namespaced ? ns : null, name);
            var old = _objects[type.Plural].GetValueOrDefault(key) ?? throw StatusError.NotFound(type, name);
            if (options.ExpectedResourceVersion is { Length: > 0 } rv && rv != J.Str(old, "metadata", "resourceVersion"))
            {
                throw StatusError.Conflict(type, name);
            }

            var now = J.Time(_clock.GetUtcNow());
            if (type == ResourceTypes.Namespaces)
            {
                if (J.IsTerminating(old))
                {
                    return old;
                }

                var terminating = (JsonObject)old.DeepClone();
                J.Meta(terminating)["deletionTimestamp"] = now;
                J.Obj(terminating, "status")["phase"] = "Terminating";
                return Commit("MODIFIED", type, key, terminating, old);
            }

            var grace = options.GracePeriodSeconds ?? J.Long(old, "spec", "terminationGracePeriodSeconds") ?? 30;
            if (type == ResourceTypes.Pods && grace > 0 && J.Str(old, "spec", "nodeName") is not null && J.Str(old, "status", "phase") is not ("Succeeded" or "Failed"))
            {
                if (J.IsTerminating(old))
                {
                    return old;
                }

                var terminating = (JsonObject)old.DeepClone();
                J.Meta(terminating)["deletionTimestamp"] = J.Time(_clock.GetUtcNow().AddSeconds(grace));
                J.Meta(terminating)["deletionGracePeriodSeconds"] = grace;
                return Commit("MODIFIED", type, key, terminating, old);
            }

            var finalizers = J.At(old, "metadata", "finalizers") as JsonArray;
            if (options.PropagationPolicy == "Foreground" || finalizers is { Count: > 0 })
            {
                var marked = (JsonObject)old.DeepClone();
                J.Meta(marked)["deletionTimestamp"] ??= now;
                if (options.PropagationPolicy == "Foreground" && !(finalizers?.Any(f => f?.GetValue<string>() == "foregroundDeletion") ?? false))
                {
                    J.Arr(J.Meta(marked), "finalizers").Add("foregroundDeletion");
                }

                return JsonNode.DeepEquals(marked, old) ? old : Commit("MODIFIED", type, key, marked, old);
            }

            if (options.PropagationPolicy == "Orphan")
            {
                OrphanDependents(J.Uid(old));
            }

            return RemoveLocked(type, key, old);
        }
    }

    /// <summary>Removes an object for good (what the kubelet and the namespace controller finish with).</summary>
    public void Remove(ResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            var key = Key(type, type.Namespaced ? ns : null, name);
            if (_objects[type.Plural].GetValueOrDefault(key) is { } old)
            {
                RemoveLocked(type, key, old);
            }
        }
    }

    /// <summary>Every stored object's uid (for the garbage collector).</summary>
    public HashSet<string> Uids()
    {
        lock (_gate)
        {
            return [.. _objects.Values.SelectMany(d => d.Values).Select(J.Uid)];
        }
    }

    /// <summary>
    /// Starts a watch. Without a revision it first reports every matching object as ADDED; from revision N it reports
    /// what happened after N, or throws 410 Gone when N is older than the history kept.
    /// </summary>
    public Watcher Watch(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, long? fromRevision)
    {
        lock (_gate)
        {
            var watcher = new Watcher(this, type, ns, labels, fields, _revision);
            if (fromRevision is null or 0)
            {
                foreach (var o in Scan(type, ns, null))
                {
                    if (labels.Matches(J.Labels(o)) && fields.Matches(o))
                    {
                        watcher.Offer(new StoreEvent("ADDED", type, o, null, _revision));
                    }
                }
            }
            else
            {
                if (fromRevision < _compacted)
                {
                    throw StatusError.Gone(fromRevision.Value, _compacted + 1);
                }

                foreach (var e in _history)
                {
                    if (e.Revision > fromRevision)
                    {
                        watcher.Offer(e);
                    }
                }
            }

            _watchers.Add(watcher);
            return watcher;
        }
    }

    /// <summary>
    /// Runs a read-compute-write under the store's lock, so nothing changes the object between the read and the
    /// write (what the API server's patch and apply handlers get from its storage's guaranteed update).
    /// </summary>
    public T Atomically<T>(Func<T> work)
    {
        lock (_gate)
        {
            return work();
        }
    }

    /// <summary>Everything stored, for the state file.</summary>
    public (long Revision, List<(ResourceType Type, JsonObject Object)> Objects) Snapshot()
    {
        lock (_gate)
        {
            return (_revision, [.. ResourceTypes.All.SelectMany(t => _objects[t.Plural].Values.Select(o => (t, o)))]);
        }
    }

    /// <summary>Loads a snapshot into an empty store; history starts empty, so older revisions answer 410.</summary>
    public void Restore(long revision, IEnumerable<(ResourceType Type, JsonObject Object)> objects)
    {
        lock (_gate)
        {
            foreach (var (type, o) in objects)
            {
                _objects[type.Plural][Key(type, type.Namespaced ? J.Namespace(o) : null, J.Name(o))] = o;
            }

            _revision = revision;
            _compacted = revision;
        }
    }

    internal void Unregister(Watcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
        }
    }

    private JsonObject RemoveLocked(ResourceType type, string key, JsonObject old)
    {
        var gone = (JsonObject)old.DeepClone();
        _objects[type.Plural].Remove(key);
        _revision++;
        J.Meta(gone)["resourceVersion"] = _revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Publish(new StoreEvent("DELETED", type, gone, old, _revision));
        return gone;
    }

    private JsonObject Commit(string eventType, ResourceType type, string key, JsonObject obj, JsonObject? old)
    {
        _revision++;
        J.Meta(obj)["resourceVersion"] = _revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _objects[type.Plural][key] = obj;
        Publish(new StoreEvent(eventType, type, obj, old, _revision));
        return obj;
    }

    private void Publish(StoreEvent e)
    {
        _history.Enqueue(e);
        while (_history.Count > _historyCapacity)
        {
            _compacted = _history.Dequeue().Revision;
        }

        foreach (var watcher in _watchers.ToArray())
        {
            watcher.Offer(e);
        }

        Changed?.Invoke(e);
    }

    private void OrphanDependents(string ownerUid)
    {
        foreach (var type in ResourceTypes.All)
        {
            foreach (var (key, o) in _objects[type.Plural].ToArray())
            {
                if (J.At(o, "metadata", "ownerReferences") is JsonArray refs && refs.OfType<JsonObject>().Any(r => J.Str(r, "uid") == ownerUid))
                {
                    var copy = (JsonObject)o.DeepClone();
                    var kept = new JsonArray([.. refs.OfType<JsonObject>().Where(r => J.Str(r, "uid") != ownerUid).Select(r => (JsonNode)r.DeepClone())]);
                    if (kept.Count == 0)
                    {
                        J.Meta(copy).Remove("ownerReferences");
                    }
                    else
                    {
                        J.Meta(copy)["ownerReferences"] = kept;
                    }

                    Commit("MODIFIED", type, key, copy, o);
                }
            }
        }
    }

    private IEnumerable<JsonObject> Scan(ResourceType type, string? ns, string? after) => ScanWithKeys(type, ns, after).Select(p => p.Value);

    private IEnumerable<KeyValuePair<string, JsonObject>> ScanWithKeys(ResourceType type, string? ns, string? after)
    {
        var prefix = ns is null ? null : ns + "/";
        foreach (var pair in _objects[type.Plural])
        {
            if (after is not null && string.CompareOrdinal(pair.Key, after) <= 0)
            {
                continue;
            }

            if (prefix is not null && !pair.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            yield return pair;
        }
    }

    private static string Key(ResourceType type, string? ns, string name) => type.Namespaced ? $"{ns}/{name}" : "/" + name;

    private static string EncodeContinue(long revision, string key) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = revision, ["start"] = key }));

    private static (long Revision, string After) DecodeContinue(string token)
    {
        try
        {
            var o = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)))!.AsObject();
            return (J.Long(o, "rv") ?? 0, J.Str(o, "start") ?? "");
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            throw StatusError.BadRequest("continue key is not valid: illegal base64 data");
        }
    }

    internal static string RandomSuffix(int length)
    {
        // The alphabet the API server's name generator uses (no vowels, no look-alikes).
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
            }
        });
    }
}

/// <summary>One open watch: the events for one resource (namespace, selectors) as a channel.</summary>
public sealed class Watcher : IDisposable
{
    /// <summary>A watcher this far behind is closed, as the API server closes slow watchers; the client re-watches.</summary>
    private const int MaxBacklog = 100_000;

    private readonly ObjectStore _store;
    private readonly ResourceType _type;
    private readonly string? _ns;
    private readonly LabelSelector _labels;
    private readonly FieldSelector _fields;
    private readonly Channel<StoreEvent> _channel = Channel.CreateUnbounded<StoreEvent>();

    internal Watcher(ObjectStore store, ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, long startRevision)
    {
        _store = store;
        _type = type;
        _ns = ns;
        _labels = labels;
        _fields = fields;
        StartRevision = startRevision;
    }

    public long StartRevision { get; }

    public ChannelReader<StoreEvent> Events => _channel.Reader;

    internal void Offer(StoreEvent e)
    {
        if (e.Resource != _type || (_ns is not null && J.Namespace(e.Object) != _ns))
        {
            return;
        }

        var now = Matches(e.Object);
        var before = e.Previous is not null && e.Type != "ADDED" && Matches(e.Previous);
        var type = (e.Type, before, now) switch
        {
            ("DELETED", true, _) => "DELETED",
            ("DELETED", false, _) => null,
            ("ADDED", _, true) => "ADDED",
            ("MODIFIED", true, true) => "MODIFIED",
            ("MODIFIED", false, true) => "ADDED",
            ("MODIFIED", true, false) => "DELETED",
            _ => null,
        };
        if (type is null)
        {
            return;
        }

        if (_channel.Reader.Count > MaxBacklog)
        {
            _channel.Writer.TryComplete();
            return;
        }

        _channel.Writer.TryWrite(type == e.Type ? e : e with { Type = type });
    }

    public void Dispose()
    {
        _channel.Writer.TryComplete();
        _store.Unregister(this);
    }

    private bool Matches(JsonObject o) => _labels.Matches(J.Labels(o)) && _fields.Matches(o);
}
