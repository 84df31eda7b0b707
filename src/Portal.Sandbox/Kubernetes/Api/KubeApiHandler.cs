using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Portal.Kubernetes.Model;
using Portal.Sandbox.Kubernetes.Patching;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Api;

/// <summary>
/// The REST verbs of the Kubernetes API over the store: list (paged, selectors, Table output), watch (resume from a
/// resource version, bookmarks, 410 as an ERROR event), get, create, replace, patch (merge, strategic merge, apply
/// with field managers and conflicts), delete (propagation, grace), dry-run, the scale and log subresources, and the
/// metrics.k8s.io API. Every write it serves goes to the <paramref name="audit"/> stream.
/// </summary>
internal sealed class KubeApiHandler(ObjectStore store, SandboxTimings timings, ApiAudit? audit = null)
{
    /// <summary>The <see cref="HttpContext.Items"/> key under which authentication leaves the caller's identity.</summary>
    public const string UserItem = "sandbox.user";

    /// <summary>Resources whose status only the cluster writes (a status subresource in the real API).</summary>
    private static readonly HashSet<ResourceType> StatusSubresource =
        [ResourceTypes.Pods, ResourceTypes.Deployments, ResourceTypes.ReplicaSets, ResourceTypes.ResourceQuotas, ResourceTypes.Namespaces, ResourceTypes.Services, ResourceTypes.Ingresses,
         ResourceTypes.PersistentVolumeClaims];

    private sealed record Target(ResourceType Type, string? Namespace, string? Name, string? Subresource);

    public async Task HandleAsync(HttpContext http, string group, string version, string[] rest)
    {
        try
        {
            if (group == Discovery.MetricsGroup)
            {
                await MetricsAsync(http, rest);
                return;
            }

            var target = Parse(group, version, rest);
            var method = http.Request.Method;
            switch (target)
            {
                case { Name: null } when HttpMethods.IsGet(method) && IsWatch(http):
                    await WatchAsync(http, target);
                    break;
                case { Name: null } when HttpMethods.IsGet(method):
                    await ListAsync(http, target);
                    break;
                case { Name: null } when HttpMethods.IsPost(method):
                    await CreateAsync(http, target);
                    break;
                case { Name: not null, Subresource: "log" } when target.Type == ResourceTypes.Pods && HttpMethods.IsGet(method):
                    await LogsAsync(http, target);
                    break;
                case { Name: not null, Subresource: "scale" } when target.Type == ResourceTypes.Deployments || target.Type == ResourceTypes.ReplicaSets:
                    await ScaleAsync(http, target);
                    break;
                case { Name: not null, Subresource: null } when HttpMethods.IsGet(method):
                    var one = store.GetRequired(target.Type, target.Namespace, target.Name);
                    await WriteAsync(http, HttpStatusCode.OK, WantsTable(http) ? Tables.Build(target.Type, [one], store.Revision, null, store.Clock.GetUtcNow()) : one);
                    break;
                case { Name: not null, Subresource: null } when HttpMethods.IsPut(method):
                    await ReplaceAsync(http, target);
                    break;
                case { Name: not null, Subresource: null } when HttpMethods.IsPatch(method):
                    await PatchAsync(http, target);
                    break;
                case { Name: not null, Subresource: null } when HttpMethods.IsDelete(method):
                    await DeleteAsync(http, target);
                    break;
                case { Subresource: not null } when !HasSubresource(target):
                    // Also what /api/v1/namespaces/ns/<a resource the sandbox does not serve> parses as.
                    throw NotFoundPath();
                default:
                    throw new StatusError(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", $"the server does not allow this method on the requested resource");
            }
        }
        catch (StatusError ex)
        {
            if (!http.Response.HasStarted)
            {
                await WriteAsync(http, ex.Code, ex.ToStatus());
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !http.Response.HasStarted)
        {
            // As the API server does: a Status with reason InternalError, never a stack trace.
            await WriteAsync(http, HttpStatusCode.InternalServerError, StatusError.Status(HttpStatusCode.InternalServerError, "InternalError", $"Internal error occurred: {ex.Message}"));
        }
    }

    public static Task WriteAsync(HttpContext http, HttpStatusCode code, JsonNode body)
    {
        http.Response.StatusCode = (int)code;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }

    private static Target Parse(string group, string version, string[] rest)
    {
        string? ns = null;
        var i = 0;
        if (rest.Length >= 3 && rest[0] == "namespaces")
        {
            var inner = ResourceTypes.Find(group, version, rest[2]);
            if (inner is { Namespaced: true })
            {
                ns = rest[1];
                i = 2;
            }
        }

        if (rest.Length <= i)
        {
            throw NotFoundPath();
        }

        var type = ResourceTypes.Find(group, version, rest[i]) ?? throw NotFoundPath();
        var name = rest.Length > i + 1 ? rest[i + 1] : null;
        var sub = rest.Length > i + 2 ? rest[i + 2] : null;
        if (rest.Length > i + 3 || (type.Namespaced && ns is null && name is not null))
        {
            throw NotFoundPath();
        }

        return new Target(type, ns, name, sub);
    }

    private static bool HasSubresource(Target target) => (target.Type, target.Subresource) switch
    {
        (var t, "log") => t == ResourceTypes.Pods,
        (var t, "scale") => t == ResourceTypes.Deployments || t == ResourceTypes.ReplicaSets,
        _ => false,
    };

    private static StatusError NotFoundPath() => new(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource");

    private static bool IsWatch(HttpContext http) => http.Request.Query["watch"].ToString() is "true" or "1";

    private async Task ListAsync(HttpContext http, Target target)
    {
        var q = http.Request.Query;
        var limit = int.TryParse(q["limit"], CultureInfo.InvariantCulture, out var l) ? l : 0;
        var page = store.ListPage(target.Type, target.Namespace, LabelSelector.Parse(q["labelSelector"]), FieldSelector.Parse(q["fieldSelector"], target.Type), limit, q["continue"]);
        if (WantsTable(http))
        {
            await WriteAsync(http, HttpStatusCode.OK, Tables.Build(target.Type, page.Items, page.Revision, page.Continue, store.Clock.GetUtcNow()));
            return;
        }

        var meta = new JsonObject { ["resourceVersion"] = page.Revision.ToString(CultureInfo.InvariantCulture) };
        if (page.Continue is not null)
        {
            meta["continue"] = page.Continue;
            meta["remainingItemCount"] = page.RemainingItemCount;
        }

        // Written by hand so a list of thousands of objects is streamed, not built as one more tree.
        http.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(http.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("kind", target.Type.Kind + "List");
        writer.WriteString("apiVersion", target.Type.GroupVersion);
        writer.WritePropertyName("metadata");
        meta.WriteTo(writer);
        writer.WriteStartArray("items");
        foreach (var item in page.Items)
        {
            item.WriteTo(writer);
            if (writer.BytesPending > 32_768)
            {
                await writer.FlushAsync(http.RequestAborted);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(http.RequestAborted);
    }

    private async Task WatchAsync(HttpContext http, Target target)
    {
        var q = http.Request.Query;
        long? from = long.TryParse(q["resourceVersion"], CultureInfo.InvariantCulture, out var rv) ? rv : null;
        var bookmarks = q["allowWatchBookmarks"].ToString() is "true" or "1";
        var timeout = int.TryParse(q["timeoutSeconds"], CultureInfo.InvariantCulture, out var t) ? TimeSpan.FromSeconds(t) : TimeSpan.FromMinutes(30);
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-cache, private";

        Watcher watcher;
        try
        {
            watcher = store.Watch(target.Type, target.Namespace, LabelSelector.Parse(q["labelSelector"]), FieldSelector.Parse(q["fieldSelector"], target.Type), from);
        }
        catch (StatusError ex) when (ex.Code == HttpStatusCode.Gone)
        {
            // The API server answers a too-old watch with 200 and a single ERROR event carrying the 410 Status.
            await WriteEventAsync(http, "ERROR", ex.ToStatus());
            return;
        }

        using (watcher)
        {
            using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            timeoutCts.CancelAfter(timeout);
            var ct = timeoutCts.Token;
            await http.Response.StartAsync(ct);
            await http.Response.Body.FlushAsync(ct);
            var lastRevision = watcher.StartRevision;
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    using var bookmarkCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    bookmarkCts.CancelAfter(timings.Bookmark);
                    bool more;
                    try
                    {
                        more = await watcher.Events.WaitToReadAsync(bookmarkCts.Token);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        // A bookmark only when nothing is queued for this watch: its version may not pass an unsent event.
                        if (bookmarks && watcher.Events.Count == 0)
                        {
                            lastRevision = Math.Max(lastRevision, store.Revision);
                            var bookmark = new JsonObject
                            {
                                ["kind"] = target.Type.Kind,
                                ["apiVersion"] = target.Type.GroupVersion,
                                ["metadata"] = new JsonObject { ["resourceVersion"] = lastRevision.ToString(CultureInfo.InvariantCulture) },
                            };
                            await WriteEventAsync(http, "BOOKMARK", bookmark);
                        }

                        continue;
                    }

                    if (!more)
                    {
                        return;   // closed as too slow: the client re-watches from its last version
                    }

                    while (watcher.Events.TryRead(out var e))
                    {
                        lastRevision = Math.Max(lastRevision, e.Revision);
                        await WriteEventAsync(http, e.Type, e.Object, flush: watcher.Events.Count == 0);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Timeout or the client went away: the watch just ends, as the API server's do.
            }
        }
    }

    private static async Task WriteEventAsync(HttpContext http, string type, JsonNode obj, bool flush = true)
    {
        var line = $"{{\"type\":\"{type}\",\"object\":{obj.ToJsonString()}}}\n";
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), http.RequestAborted);
        if (flush)
        {
            await http.Response.Body.FlushAsync(http.RequestAborted);
        }
    }

    private async Task CreateAsync(HttpContext http, Target target)
    {
        var obj = await ReadObjectAsync(http, target);
        FieldValidation.Check(http, target.Type, obj);
        PrepareExternalWrite(target.Type, obj, null);
        var manager = Manager(http);
        ManagedFields.TrackUpdate(target.Type, null, obj, manager, store.Clock.GetUtcNow());
        var created = store.Create(target.Type, obj, IsDryRun(http));
        Audit(http, "create", target, created);
        await WriteAsync(http, HttpStatusCode.Created, created);
    }

    private async Task ReplaceAsync(HttpContext http, Target target)
    {
        var obj = await ReadObjectAsync(http, target);
        if (J.Name(obj) != target.Name)
        {
            throw StatusError.BadRequest($"the name of the object ({J.Name(obj)}) does not match the name on the URL ({target.Name})");
        }

        FieldValidation.Check(http, target.Type, obj);
        var old = store.GetRequired(target.Type, target.Namespace, target.Name!);
        PrepareExternalWrite(target.Type, obj, old);
        ManagedFields.TrackUpdate(target.Type, old, obj, Manager(http), store.Clock.GetUtcNow());
        var replaced = store.Update(target.Type, obj, checkVersion: true, IsDryRun(http));
        Audit(http, "update", target, replaced);
        await WriteAsync(http, HttpStatusCode.OK, replaced);
    }

    private async Task PatchAsync(HttpContext http, Target target)
    {
        var contentType = http.Request.ContentType?.Split(';')[0].Trim() ?? "";
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync(http.RequestAborted);
        var now = store.Clock.GetUtcNow();
        var dryRun = IsDryRun(http);

        // Read, compute and write under the store's lock: a controller's status write in between can neither make a
        // patch fail with a spurious conflict nor be overwritten by a stale copy.
        var (code, result) = store.Atomically(() =>
        {
            var old = store.Get(target.Type, target.Namespace, target.Name!);
            if (contentType == Patches.ApplyPatch)
            {
                var manager = http.Request.Query["fieldManager"].ToString();
                if (manager.Length == 0)
                {
                    throw StatusError.BadRequest("PATCH " + http.Request.Path + ": fieldManager is required for apply requests");
                }

                var config = YamlJson.Parse(body) as JsonObject ?? throw StatusError.BadRequest("error decoding YAML: the apply configuration must be an object");
                CheckIdentity(target, config);
                FieldValidation.Check(http, target.Type, config);
                var force = http.Request.Query["force"].ToString() is "true" or "1";
                var applied = ManagedFields.Apply(target.Type, old, config, manager, force, now);
                J.Meta(applied)["name"] = target.Name;
                if (target.Namespace is not null)
                {
                    J.Meta(applied)["namespace"] = target.Namespace;
                }

                PrepareExternalWrite(target.Type, applied, old);
                return old is null
                    ? (HttpStatusCode.Created, store.Create(target.Type, applied, dryRun))
                    : (HttpStatusCode.OK, store.Update(target.Type, applied, checkVersion: false, dryRun));
            }

            if (old is null)
            {
                throw StatusError.NotFound(target.Type, target.Name!);
            }

            var parsed = ParseJson(body);
            var patched = (contentType, parsed) switch
            {
                (Patches.JsonPatch, JsonArray operations) => JsonPatch.Apply(old, operations),
                (Patches.MergePatch, JsonObject patch) => Patches.Merge(old, patch),
                (Patches.StrategicMergePatch, JsonObject patch) => Patches.Strategic(old, patch),
                (Patches.JsonPatch or Patches.MergePatch or Patches.StrategicMergePatch, _) => throw StatusError.BadRequest($"the body of a {contentType} patch must be a JSON {(contentType == Patches.JsonPatch ? "array" : "object")}"),
                _ => throw new StatusError(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json"),
            };
            J.Meta(patched)["name"] = target.Name;
            PrepareExternalWrite(target.Type, patched, old);
            ManagedFields.TrackUpdate(target.Type, old, patched, Manager(http), now);

            // A resourceVersion the patch itself carries is a precondition; otherwise the patch applies to the current object.
            return (HttpStatusCode.OK, store.Update(target.Type, patched, checkVersion: true, dryRun));
        });
        Audit(http, "patch", target, result);
        await WriteAsync(http, code, result);
    }

    private async Task DeleteAsync(HttpContext http, Target target)
    {
        var q = http.Request.Query;
        string? policy = q["propagationPolicy"];
        long? grace = long.TryParse(q["gracePeriodSeconds"], CultureInfo.InvariantCulture, out var g) ? g : null;
        string? expectedRv = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            var body = ParseJson(await new StreamReader(http.Request.Body).ReadToEndAsync(http.RequestAborted)) as JsonObject;
            policy ??= J.Str(body, "propagationPolicy");
            grace ??= J.Long(body, "gracePeriodSeconds");
            expectedRv = J.Str(body, "preconditions", "resourceVersion");
            if (J.Bool(body, "orphanDependents") == true)
            {
                policy ??= "Orphan";
            }
        }

        if (policy is not (null or "Background" or "Foreground" or "Orphan"))
        {
            throw StatusError.BadRequest($"propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }

        if (IsDryRun(http))
        {
            await WriteAsync(http, HttpStatusCode.OK, store.GetRequired(target.Type, target.Namespace, target.Name!));
            return;
        }

        var result = store.Delete(target.Type, target.Namespace, target.Name!, new DeleteOptions(policy, grace, expectedRv));
        Audit(http, "delete", target, result);

        // 202 while finalizers (foreground deletion included) hold the object; 200 otherwise, also for a pod that is
        // now terminating gracefully, as the API server answers.
        var held = J.At(result, "metadata", "finalizers") is JsonArray { Count: > 0 } && store.Get(target.Type, target.Namespace, target.Name!) is not null;
        await WriteAsync(http, held ? HttpStatusCode.Accepted : HttpStatusCode.OK, result);
    }

    private async Task ScaleAsync(HttpContext http, Target target)
    {
        var owner = store.GetRequired(target.Type, target.Namespace, target.Name!);
        JsonObject ScaleOf(JsonObject o) => new()
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = J.Name(o),
                ["namespace"] = J.Namespace(o),
                ["uid"] = J.Uid(o),
                ["resourceVersion"] = J.Str(o, "metadata", "resourceVersion"),
                ["creationTimestamp"] = J.Str(o, "metadata", "creationTimestamp"),
            },
            ["spec"] = new JsonObject { ["replicas"] = J.Long(o, "spec", "replicas") ?? 1 },
            ["status"] = new JsonObject
            {
                ["replicas"] = J.Long(o, "status", "replicas") ?? 0,
                ["selector"] = string.Join(",", J.StringMap(J.At(o, "spec", "selector", "matchLabels")).Select(l => $"{l.Key}={l.Value}")),
            },
        };

        var current = ScaleOf(owner);
        if (HttpMethods.IsGet(http.Request.Method))
        {
            await WriteAsync(http, HttpStatusCode.OK, current);
            return;
        }

        var body = ParseJson(await new StreamReader(http.Request.Body).ReadToEndAsync(http.RequestAborted)) as JsonObject ?? throw StatusError.BadRequest("the body must be a JSON object");
        var wanted = HttpMethods.IsPut(http.Request.Method) ? body : Patches.Merge(current, body);
        if (HttpMethods.IsPut(http.Request.Method) && J.Str(body, "metadata", "resourceVersion") is { Length: > 0 } rv && rv != J.Str(owner, "metadata", "resourceVersion"))
        {
            throw StatusError.Conflict(target.Type, target.Name!);
        }

        if (J.Long(wanted, "spec", "replicas") is not { } replicas || replicas < 0)
        {
            throw StatusError.Invalid(target.Type, target.Name!, [("spec.replicas", $"spec.replicas: Invalid value: {J.At(wanted, "spec", "replicas")?.ToJsonString() ?? "null"}: must be greater than or equal to 0")]);
        }

        var saved = store.Atomically(() =>
        {
            var current = store.GetRequired(target.Type, target.Namespace, target.Name!);
            var updated = (JsonObject)current.DeepClone();
            J.Obj(updated, "spec")["replicas"] = replicas;
            ManagedFields.TrackUpdate(target.Type, current, updated, Manager(http), store.Clock.GetUtcNow(), "scale");
            return store.Update(target.Type, updated, checkVersion: false, IsDryRun(http));
        });
        Audit(http, HttpMethods.IsPut(http.Request.Method) ? "update" : "patch", target, saved);
        await WriteAsync(http, HttpStatusCode.OK, ScaleOf(saved));
    }

    private async Task LogsAsync(HttpContext http, Target target)
    {
        var q = http.Request.Query;
        var pod = store.GetRequired(ResourceTypes.Pods, target.Namespace, target.Name!);
        var containers = J.Objects(J.At(pod, "spec", "containers")).Select(c => J.Str(c, "name") ?? "").ToList();
        var container = q["container"].ToString();
        if (container.Length == 0)
        {
            container = containers.Count == 1
                ? containers[0]
                : throw StatusError.BadRequest($"a container name must be specified for pod {target.Name}, choose one of: [{string.Join(" ", containers)}]");
        }
        else if (!containers.Contains(container))
        {
            throw StatusError.BadRequest($"container {container} is not valid for pod {target.Name}");
        }

        var previous = q["previous"].ToString() is "true" or "1";
        var run = SimulatedWorkload.RunOf(pod, container, previous);
        if (run is null)
        {
            var waiting = J.Objects(J.At(pod, "status", "containerStatuses")).FirstOrDefault(c => J.Str(c, "name") == container);
            throw StatusError.BadRequest(previous
                ? $"previous terminated container \"{container}\" in pod \"{target.Name}\" not found"
                : $"container \"{container}\" in pod \"{target.Name}\" is waiting to start: {WaitingText(J.Str(waiting, "state", "waiting", "reason"))}");
        }

        var now = store.Clock.GetUtcNow();
        var since = long.TryParse(q["sinceSeconds"], CultureInfo.InvariantCulture, out var s) ? now.AddSeconds(-s)
            : J.ParseTime(q["sinceTime"]) ?? DateTimeOffset.MinValue;
        var timestamps = q["timestamps"].ToString() is "true" or "1";
        var follow = q["follow"].ToString() is "true" or "1";
        var limitBytes = long.TryParse(q["limitBytes"], CultureInfo.InvariantCulture, out var lb) ? lb : long.MaxValue;
        IEnumerable<LogLine> lines = int.TryParse(q["tailLines"], CultureInfo.InvariantCulture, out var tail) && tail >= 0
            ? SimulatedWorkload.Tail(run, tail, now).Where(line => line.Time >= since)
            : SimulatedWorkload.Lines(run, since, now);

        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/plain";
        long written = 0;
        var last = now;
        async Task<bool> Emit(IEnumerable<LogLine> batch)
        {
            var text = new StringBuilder();
            foreach (var line in batch)
            {
                text.Append(timestamps ? line.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + " " : "").Append(line.Text).Append('\n');
            }

            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            var room = (int)Math.Min(bytes.Length, limitBytes - written);
            await http.Response.Body.WriteAsync(bytes.AsMemory(0, room), http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
            written += room;
            return written < limitBytes;
        }

        if (!await Emit(lines) || !follow || previous)
        {
            return;
        }

        // follow: new lines as the container writes them, until it stops or the client goes away.
        try
        {
            while (!http.RequestAborted.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), store.Clock, http.RequestAborted);
                var current = store.Get(ResourceTypes.Pods, target.Namespace, target.Name!);
                var currentRun = current is null ? null : SimulatedWorkload.RunOf(current, container, previous: false);
                var next = store.Clock.GetUtcNow();
                var batch = SimulatedWorkload.Lines(run, last.AddTicks(1), next).ToList();
                last = next;
                if (!await Emit(batch) || currentRun is null || currentRun.Started != run.Started || currentRun.Finished is not null)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The reader stopped following.
        }
    }

    private static string WaitingText(string? reason) => reason switch
    {
        "ImagePullBackOff" or "ErrImagePull" => "trying and failing to pull image",
        "CrashLoopBackOff" => "back-off restarting failed container",
        _ => "ContainerCreating",
    };

    private async Task MetricsAsync(HttpContext http, string[] rest)
    {
        var now = store.Clock.GetUtcNow();
        var pods = store.List(ResourceTypes.Pods).Where(p => J.Str(p, "status", "phase") == "Running" && !J.IsTerminating(p)).ToList();
        JsonObject PodMetric(JsonObject pod) => new()
        {
            ["kind"] = "PodMetrics",
            ["apiVersion"] = "metrics.k8s.io/v1beta1",
            ["metadata"] = new JsonObject { ["name"] = J.Name(pod), ["namespace"] = J.Namespace(pod), ["creationTimestamp"] = J.Time(now), ["labels"] = J.At(pod, "metadata", "labels")?.DeepClone() },
            ["timestamp"] = J.Time(now),
            ["window"] = "15s",
            ["containers"] = new JsonArray([.. J.Objects(J.At(pod, "spec", "containers")).Select(c =>
            {
                var (cpu, memory) = SimulatedWorkload.Usage(J.Uid(pod), c, now);
                return (JsonNode)new JsonObject { ["name"] = J.Str(c, "name"), ["usage"] = new JsonObject { ["cpu"] = $"{cpu * 1_000_000}n", ["memory"] = $"{memory / 1024}Ki" } };
            })]),
        };

        (string? Ns, string Kind, string? Name) path = rest switch
        {
            ["nodes"] => (null, "nodes", null),
            ["nodes", var n] => (null, "nodes", n),
            ["pods"] => (null, "pods", null),
            ["namespaces", var ns, "pods"] => (ns, "pods", null),
            ["namespaces", var ns, "pods", var n] => (ns, "pods", n),
            _ => throw NotFoundPath(),
        };

        if (path.Kind == "pods")
        {
            var selected = pods.Where(p => (path.Ns is null || J.Namespace(p) == path.Ns) && (path.Name is null || J.Name(p) == path.Name)).ToList();
            if (path.Name is not null)
            {
                await WriteAsync(http, HttpStatusCode.OK, selected.Count == 1 ? PodMetric(selected[0]) : throw new StatusError(HttpStatusCode.NotFound, "NotFound", $"podmetrics.metrics.k8s.io \"{path.Ns}/{path.Name}\" not found"));
                return;
            }

            await WriteAsync(http, HttpStatusCode.OK, new JsonObject
            {
                ["kind"] = "PodMetricsList",
                ["apiVersion"] = "metrics.k8s.io/v1beta1",
                ["metadata"] = new JsonObject(),
                ["items"] = new JsonArray([.. selected.Select(p => (JsonNode)PodMetric(p))]),
            });
            return;
        }

        var nodes = store.List(ResourceTypes.Nodes).Where(n => path.Name is null || J.Name(n) == path.Name).Select(n =>
        {
            long cpu = 150, memory = 900L << 20;   // the node's own system daemons
            foreach (var pod in pods.Where(p => J.Str(p, "spec", "nodeName") == J.Name(n)))
            {
                foreach (var c in J.Objects(J.At(pod, "spec", "containers")))
                {
                    var (cc, mm) = SimulatedWorkload.Usage(J.Uid(pod), c, now);
                    cpu += cc;
                    memory += mm;
                }
            }

            return (JsonNode)new JsonObject
            {
                ["kind"] = "NodeMetrics",
                ["apiVersion"] = "metrics.k8s.io/v1beta1",
                ["metadata"] = new JsonObject { ["name"] = J.Name(n), ["creationTimestamp"] = J.Time(now), ["labels"] = J.At(n, "metadata", "labels")?.DeepClone() },
                ["timestamp"] = J.Time(now),
                ["window"] = "20s",
                ["usage"] = new JsonObject { ["cpu"] = $"{cpu * 1_000_000}n", ["memory"] = $"{memory / 1024}Ki" },
            };
        }).ToList();
        if (path.Name is not null)
        {
            await WriteAsync(http, HttpStatusCode.OK, nodes.Count == 1 ? nodes[0]! : throw new StatusError(HttpStatusCode.NotFound, "NotFound", $"nodemetrics.metrics.k8s.io \"{path.Name}\" not found"));
            return;
        }

        await WriteAsync(http, HttpStatusCode.OK, new JsonObject { ["kind"] = "NodeMetricsList", ["apiVersion"] = "metrics.k8s.io/v1beta1", ["metadata"] = new JsonObject(), ["items"] = new JsonArray([.. nodes]) });
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext http, Target target)
    {
        if (http.Request.ContentType?.Contains("protobuf", StringComparison.OrdinalIgnoreCase) == true)
        {
            throw new StatusError(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", "the sandbox takes JSON and YAML bodies, not protobuf (application/vnd.kubernetes.protobuf)");
        }

        var body = await new StreamReader(http.Request.Body).ReadToEndAsync(http.RequestAborted);
        var contentType = http.Request.ContentType ?? "";
        var node = contentType.Contains("yaml", StringComparison.OrdinalIgnoreCase) ? ParseYaml(body) : ParseJson(body);
        if (node is not JsonObject obj)
        {
            throw StatusError.BadRequest("Object 'Kind' is missing in the request body");
        }

        CheckIdentity(target, obj);
        return obj;
    }

    private static void CheckIdentity(Target target, JsonObject obj)
    {
        if (J.Str(obj, "kind") is { } kind && kind != target.Type.Kind)
        {
            throw StatusError.BadRequest($"the API version in the data ({J.Str(obj, "apiVersion")}) does not match the expected API version ({target.Type.GroupVersion}) or kind {kind} is not {target.Type.Kind}");
        }

        if (target.Type.Namespaced)
        {
            var ns = J.Namespace(obj);
            if (ns is not null && ns.Length > 0 && ns != target.Namespace)
            {
                throw StatusError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            J.Meta(obj)["namespace"] = target.Namespace;
        }
    }

    private static JsonNode? ParseJson(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException ex)
        {
            throw StatusError.BadRequest($"couldn't get version/kind; json parse error: {ex.Message}");
        }
    }

    /// <summary>What a client may not set through the main resource: status (for kinds with a status subresource).</summary>
    private void PrepareExternalWrite(ResourceType type, JsonObject obj, JsonObject? old)
    {
        if (StatusSubresource.Contains(type))
        {
            if (old is null)
            {
                obj.Remove("status");
                if (type == ResourceTypes.Pods)
                {
                    obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "Burstable" };
                }

                if (type == ResourceTypes.PersistentVolumeClaims)
                {
                    obj["status"] = new JsonObject { ["phase"] = "Pending" };   // until the binder finds it a volume
                }
            }
            else
            {
                obj["status"] = old["status"]?.DeepClone();
            }
        }

        if (type == ResourceTypes.PersistentVolumeClaims)
        {
            J.Obj(obj, "spec")["volumeMode"] ??= "Filesystem";
        }

        if (type == ResourceTypes.Services)
        {
            var spec = J.Obj(obj, "spec");
            spec["type"] ??= "ClusterIP";
            spec["clusterIP"] ??= old is null ? $"10.96.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}" : J.Str(old, "spec", "clusterIP");
        }
    }

    /// <summary>Tells the audit stream about a write that succeeded; a dry run changed nothing, so it is not one.</summary>
    private void Audit(HttpContext http, string verb, Target target, JsonObject result)
    {
        if (audit is null || IsDryRun(http))
        {
            return;
        }

        var manager = http.Request.Query["fieldManager"].ToString();
        audit.Record(new ApiWrite(
            store.Clock.GetUtcNow(),
            verb,
            target.Type,
            target.Namespace,
            target.Name ?? J.Name(result),
            target.Subresource,
            http.Items[UserItem] as string ?? "system:anonymous",
            http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
            http.Connection.RemoteIpAddress?.ToString(),
            manager.Length > 0 ? manager : null));
    }

    private static string Manager(HttpContext http)
    {
        var manager = http.Request.Query["fieldManager"].ToString();
        if (manager.Length > 0)
        {
            return manager;
        }

        var agent = http.Request.Headers.UserAgent.ToString();
        return agent.Length == 0 ? "unknown" : agent.Split('/')[0];
    }

    private static bool IsDryRun(HttpContext http) => http.Request.Query["dryRun"].ToString() == "All";

    private static bool WantsTable(HttpContext http) => http.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private static JsonNode? ParseYaml(string body)
    {
        try
        {
            return YamlJson.Parse(body);
        }
        catch (FormatException ex)
        {
            throw StatusError.BadRequest(ex.Message);
        }
    }
}
