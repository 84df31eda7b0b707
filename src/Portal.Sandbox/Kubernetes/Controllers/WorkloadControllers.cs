using System.Globalization;
using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Controllers;

/// <summary>
/// Rolls Deployments out through ReplicaSets as kube-controller-manager does: one ReplicaSet per pod template
/// (named by the template's hash), a rolling update that honours maxSurge and maxUnavailable (or Recreate),
/// revisions, rollback to an old template by reusing its ReplicaSet, status and the Available/Progressing conditions.
/// </summary>
internal sealed class DeploymentController(ObjectStore store, EventRecorder events)
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    private const string Component = "deployment-controller";

    public void Reconcile()
    {
        foreach (var deployment in store.List(ResourceTypes.Deployments))
        {
            if (!J.IsTerminating(deployment))
            {
                ReconcileOne(deployment);
            }
        }
    }

    private void ReconcileOne(JsonObject deployment)
    {
        var ns = J.Namespace(deployment)!;
        var uid = J.Uid(deployment);
        var owned = store.List(ResourceTypes.ReplicaSets, ns).Where(rs => IsControlledBy(rs, uid) && !J.IsTerminating(rs)).ToList();
        var template = (JsonObject)(J.At(deployment, "spec", "template")?.DeepClone() ?? new JsonObject());
        var hash = TemplateHash(template);
        var maxRevision = owned.Select(Revision).DefaultIfEmpty(0).Max();
        var newRs = owned.FirstOrDefault(rs => J.Str(rs, "metadata", "labels", "pod-template-hash") == hash);
        var desired = (int)(J.Long(deployment, "spec", "replicas") ?? 1);
        var paused = J.Bool(deployment, "spec", "paused") ?? false;

        if (!paused)
        {
            if (newRs is null)
            {
                newRs = CreateReplicaSet(deployment, template, hash, maxRevision + 1, owned.All(rs => Replicas(rs) == 0) ? desired : 0);
                if (newRs is null)
                {
                    return;
                }

                owned.Add(newRs);
            }
            else if (Revision(newRs) < maxRevision)
            {
                // Rolling back to an older template makes its ReplicaSet the newest revision again.
                newRs = store.Mutate(ResourceTypes.ReplicaSets, ns, J.Name(newRs), rs =>
                {
                    J.Obj(J.Meta(rs), "annotations")[RevisionAnnotation] = (maxRevision + 1).ToString(CultureInfo.InvariantCulture);
                    return true;
                })!;
                owned = [.. owned.Select(rs => J.Uid(rs) == J.Uid(newRs) ? newRs : rs)];
            }

            var olds = owned.Where(rs => J.Uid(rs) != J.Uid(newRs)).OrderBy(Revision).ToList();
            if (J.Str(deployment, "spec", "strategy", "type") == "Recreate")
            {
                Recreate(deployment, newRs, olds, desired);
            }
            else
            {
                RollingUpdate(deployment, newRs, olds, desired);
            }

            CleanUpHistory(deployment, olds);
            var revision = J.Str(newRs, "metadata", "annotations", RevisionAnnotation);
            if (revision is not null && J.Str(deployment, "metadata", "annotations", RevisionAnnotation) != revision)
            {
                deployment = store.Mutate(ResourceTypes.Deployments, ns, J.Name(deployment), d =>
                {
                    J.Obj(J.Meta(d), "annotations")[RevisionAnnotation] = revision;
                    return true;
                }) ?? deployment;
            }
        }

        UpdateStatus(deployment, newRs, [.. store.List(ResourceTypes.ReplicaSets, ns).Where(rs => IsControlledBy(rs, uid))], desired);
    }

    private JsonObject? CreateReplicaSet(JsonObject deployment, JsonObject template, string hash, long revision, int replicas)
    {
        var podTemplate = (JsonObject)template.DeepClone();
        J.Obj(podTemplate, "metadata", "labels")["pod-template-hash"] = hash;
        var selector = (JsonObject)(J.At(deployment, "spec", "selector")?.DeepClone() ?? new JsonObject());
        J.Obj(selector, "matchLabels")["pod-template-hash"] = hash;
        var labels = (JsonObject)J.At(podTemplate, "metadata", "labels")!.DeepClone();
        var rs = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{J.Name(deployment)}-{hash}",
                ["namespace"] = J.Namespace(deployment),
                ["labels"] = labels,
                ["annotations"] = new JsonObject
                {
                    [RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture),
                    ["deployment.kubernetes.io/desired-replicas"] = (J.Long(deployment, "spec", "replicas") ?? 1).ToString(CultureInfo.InvariantCulture),
                },
                ["ownerReferences"] = new JsonArray(OwnerReference(deployment)),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["minReadySeconds"] = J.Long(deployment, "spec", "minReadySeconds") ?? 0,
                ["selector"] = selector,
                ["template"] = podTemplate,
            },
        };
        try
        {
            var created = store.Create(ResourceTypes.ReplicaSets, rs);
            events.Normal(deployment, Component, "ScalingReplicaSet", $"Scaled up replica set {J.Name(created)} from 0 to {replicas}");
            return created;
        }
        catch (StatusError ex)
        {
            events.Warning(deployment, Component, "FailedCreate", $"Failed to create new replica set \"{J.Name(rs)}\": {ex.Message}");
            return null;
        }
    }

    private void RollingUpdate(JsonObject deployment, JsonObject newRs, List<JsonObject> olds, int desired)
    {
        var activeOlds = olds.Where(rs => Replicas(rs) > 0).ToList();
        if (activeOlds.Count == 0)
        {
            Scale(deployment, newRs, desired);
            return;
        }

        var surge = Resolve(J.At(deployment, "spec", "strategy", "rollingUpdate", "maxSurge"), desired, roundUp: true);
        var unavailable = Resolve(J.At(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"), desired, roundUp: false);
        if (surge == 0 && unavailable == 0)
        {
            unavailable = 1;
        }

        // Scale the new ReplicaSet up, within desired + maxSurge pods in all.
        var total = Replicas(newRs) + activeOlds.Sum(Replicas);
        var newReplicas = Replicas(newRs);
        if (newReplicas < desired)
        {
            var up = Math.Min(desired + surge - total, desired - newReplicas);
            if (up > 0)
            {
                newReplicas += up;
                newRs = Scale(deployment, newRs, newReplicas);
                total += up;
            }
        }
        else if (newReplicas > desired)
        {
            newRs = Scale(deployment, newRs, desired);
            total -= newReplicas - desired;
        }

        // Scale old ones down, keeping desired - maxUnavailable pods available.
        var minAvailable = desired - unavailable;
        var newUnavailable = Replicas(newRs) - Available(newRs);
        var maxScaledDown = total - minAvailable - newUnavailable;
        if (maxScaledDown <= 0)
        {
            return;
        }

        // First the old pods that are not available anyway, then available ones.
        foreach (var rs in activeOlds.ToList())
        {
            var unhealthy = Math.Min(Replicas(rs) - Available(rs), maxScaledDown);
            if (unhealthy > 0)
            {
                var scaled = Scale(deployment, rs, Replicas(rs) - unhealthy);
                activeOlds[activeOlds.IndexOf(rs)] = scaled;
                maxScaledDown -= unhealthy;
            }
        }

        var available = Available(newRs) + activeOlds.Sum(Available);
        var canScaleDown = Math.Min(available - minAvailable, maxScaledDown);
        foreach (var rs in activeOlds)
        {
            if (canScaleDown <= 0)
            {
                break;
            }

            var down = Math.Min(Replicas(rs), canScaleDown);
            if (down > 0)
            {
                Scale(deployment, rs, Replicas(rs) - down);
                canScaleDown -= down;
            }
        }
    }

    private void Recreate(JsonObject deployment, JsonObject newRs, List<JsonObject> olds, int desired)
    {
        var running = false;
        foreach (var rs in olds)
        {
            if (Replicas(rs) > 0)
            {
                Scale(deployment, rs, 0);
                running = true;
            }

            running |= (J.Long(rs, "status", "replicas") ?? 0) > 0;
        }

        // As kube-controller-manager's oldPodsRunning: an old pod that has not finished holds the new ones back, even
        // while it terminates (the ReplicaSet's status no longer counts it by then).
        var oldUids = olds.Select(J.Uid).ToHashSet(StringComparer.Ordinal);
        running |= store.List(ResourceTypes.Pods, J.Namespace(deployment)).Any(p =>
            J.Str(p, "status", "phase") is not ("Succeeded" or "Failed")
            && J.Objects(J.At(p, "metadata", "ownerReferences")).Any(r => oldUids.Contains(J.Str(r, "uid") ?? "")));

        if (!running)
        {
            Scale(deployment, newRs, desired);
        }
    }

    private void CleanUpHistory(JsonObject deployment, List<JsonObject> olds)
    {
        var limit = (int)(J.Long(deployment, "spec", "revisionHistoryLimit") ?? 10);
        var idle = olds.Where(rs => Replicas(rs) == 0 && (J.Long(rs, "status", "replicas") ?? 0) == 0).OrderBy(Revision).ToList();
        foreach (var rs in idle.Take(Math.Max(0, idle.Count - limit)))
        {
            try
            {
                store.Delete(ResourceTypes.ReplicaSets, J.Namespace(rs), J.Name(rs));
            }
            catch (StatusError)
            {
                // Gone meanwhile.
            }
        }
    }

    private JsonObject Scale(JsonObject deployment, JsonObject rs, int replicas)
    {
        var from = Replicas(rs);
        if (from == replicas)
        {
            return rs;
        }

        var scaled = store.Mutate(ResourceTypes.ReplicaSets, J.Namespace(rs), J.Name(rs), r =>
        {
            J.Obj(r, "spec")["replicas"] = replicas;
            J.Obj(J.Meta(r), "annotations")["deployment.kubernetes.io/desired-replicas"] = (J.Long(deployment, "spec", "replicas") ?? 1).ToString(CultureInfo.InvariantCulture);
            return true;
        }) ?? rs;
        events.Normal(deployment, Component, "ScalingReplicaSet", $"Scaled {(replicas > from ? "up" : "down")} replica set {J.Name(rs)} from {from} to {replicas}");
        return scaled;
    }

    private void UpdateStatus(JsonObject deployment, JsonObject? newRs, List<JsonObject> all, int desired)
    {
        var now = J.Time(store.Clock.GetUtcNow());
        var replicas = all.Sum(rs => (int)(J.Long(rs, "status", "replicas") ?? 0));
        var updated = newRs is null ? 0 : (int)(J.Long(store.Get(ResourceTypes.ReplicaSets, J.Namespace(newRs), J.Name(newRs)), "status", "replicas") ?? 0);
        var ready = all.Sum(rs => (int)(J.Long(rs, "status", "readyReplicas") ?? 0));
        var available = all.Sum(Available);
        var specTotal = all.Sum(Replicas);
        var complete = newRs is not null && updated == desired && replicas == desired && available == desired;

        store.Mutate(ResourceTypes.Deployments, J.Namespace(deployment), J.Name(deployment), d =>
        {
            var old = (JsonObject?)d["status"]?.DeepClone() ?? [];
            var status = new JsonObject
            {
                ["observedGeneration"] = J.Long(d, "metadata", "generation") ?? 1,
                ["replicas"] = replicas,
                ["updatedReplicas"] = updated,
                ["readyReplicas"] = ready,
                ["availableReplicas"] = available,
                ["unavailableReplicas"] = Math.Max(0, specTotal - available),
            };
            var conditions = J.Objects(old["conditions"]).Select(c => (JsonObject)c.DeepClone()).ToList();
            var minAvailable = desired - Resolve(J.At(d, "spec", "strategy", "rollingUpdate", "maxUnavailable"), desired, roundUp: false);
            SetCondition(conditions, "Available", available >= minAvailable ? "True" : "False",
                available >= minAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                available >= minAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now, progressed: false);

            var progressedNow = !JsonNode.DeepEquals(old["replicas"], status["replicas"]) || !JsonNode.DeepEquals(old["updatedReplicas"], status["updatedReplicas"])
                || !JsonNode.DeepEquals(old["availableReplicas"], status["availableReplicas"]) || !JsonNode.DeepEquals(old["readyReplicas"], status["readyReplicas"]);
            var rsName = newRs is null ? J.Name(d) : J.Name(newRs);
            var progressing = conditions.FirstOrDefault(c => J.Str(c, "type") == "Progressing");
            var deadline = J.Long(d, "spec", "progressDeadlineSeconds") ?? 600;
            if (complete)
            {
                SetCondition(conditions, "Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{rsName}\" has successfully progressed.", now, progressedNow);
            }
            else if (!progressedNow && progressing is not null && J.Str(progressing, "reason") != "NewReplicaSetAvailable"
                     && J.ParseTime(J.Str(progressing, "lastUpdateTime")) is { } last && store.Clock.GetUtcNow() - last > TimeSpan.FromSeconds(deadline))
            {
                SetCondition(conditions, "Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{rsName}\" has timed out progressing.", now, progressed: false);
            }
            else if (progressedNow || progressing is null || J.Str(progressing, "reason") == "NewReplicaSetAvailable")
            {
                SetCondition(conditions, "Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{rsName}\" is progressing.", now, progressed: true);
            }

            MirrorReplicaFailure(conditions, newRs is null ? null : all.FirstOrDefault(rs => J.Uid(rs) == J.Uid(newRs)), all);
            status["conditions"] = new JsonArray([.. conditions]);
            if (JsonNode.DeepEquals(old, status))
            {
                return false;
            }

            d["status"] = status;
            return true;
        });
    }

    /// <summary>
    /// As the real controller's getReplicaFailures: a ReplicaSet that cannot create pods (a quota, a limit range) shows
    /// as the Deployment's ReplicaFailure condition, the new ReplicaSet's before any old one's; gone when none has one.
    /// </summary>
    private static void MirrorReplicaFailure(List<JsonObject> conditions, JsonObject? newRs, List<JsonObject> all)
    {
        static JsonObject? Failure(JsonObject? rs) => J.Objects(J.At(rs, "status", "conditions")).FirstOrDefault(c => J.Str(c, "type") == "ReplicaFailure");
        var failure = Failure(newRs) ?? all.Select(Failure).OfType<JsonObject>().FirstOrDefault();
        var existing = conditions.FirstOrDefault(c => J.Str(c, "type") == "ReplicaFailure");
        if (failure is null)
        {
            conditions.RemoveAll(c => J.Str(c, "type") == "ReplicaFailure");
            return;
        }

        if (existing is not null && J.Str(existing, "status") == J.Str(failure, "status") && J.Str(existing, "reason") == J.Str(failure, "reason"))
        {
            return;
        }

        var at = J.Str(failure, "lastTransitionTime");
        var mirrored = new JsonObject
        {
            ["type"] = "ReplicaFailure",
            ["status"] = J.Str(failure, "status"),
            ["lastUpdateTime"] = at,
            ["lastTransitionTime"] = at,
            ["reason"] = J.Str(failure, "reason"),
            ["message"] = J.Str(failure, "message"),
        };
        if (existing is null)
        {
            conditions.Add(mirrored);
        }
        else
        {
            conditions[conditions.IndexOf(existing)] = mirrored;
        }
    }

    private static void SetCondition(List<JsonObject> conditions, string type, string status, string reason, string message, string now, bool progressed)
    {
        var existing = conditions.FirstOrDefault(c => J.Str(c, "type") == type);
        if (existing is null)
        {
            conditions.Add(new JsonObject { ["type"] = type, ["status"] = status, ["lastUpdateTime"] = now, ["lastTransitionTime"] = now, ["reason"] = reason, ["message"] = message });
            return;
        }

        if (J.Str(existing, "status") != status)
        {
            existing["lastTransitionTime"] = now;
        }

        if (J.Str(existing, "status") != status || J.Str(existing, "reason") != reason || J.Str(existing, "message") != message || progressed)
        {
            existing["lastUpdateTime"] = now;
        }

        existing["status"] = status;
        existing["reason"] = reason;
        existing["message"] = message;
    }

    internal static int Resolve(JsonNode? value, int desired, bool roundUp)
    {
        var text = value?.ToString() ?? "25%";
        if (text.EndsWith('%') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
        {
            var exact = desired * percent / 100;
            return (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    /// <summary>The template's hash, safe-encoded as the pod-template-hash label (FNV-1a over the template's JSON).</summary>
    internal static string TemplateHash(JsonObject template)
    {
        // Over a canonical form (object keys sorted): the same template written in another key order is the same
        // template and must not start a rollout.
        var hash = SimulatedWorkload.Hash(Canonical(template)!.ToJsonString(), "", "") & 0xffffffff;
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Concat(hash.ToString(CultureInfo.InvariantCulture).Select(c => alphabet[(c - '0' + 3) % alphabet.Length]));
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, Canonical(kv.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Canonical)]),
        _ => node?.DeepClone(),
    };

    internal static bool IsControlledBy(JsonObject o, string ownerUid) =>
        J.Objects(J.At(o, "metadata", "ownerReferences")).Any(r => J.Str(r, "uid") == ownerUid && (J.Bool(r, "controller") ?? false));

    internal static JsonObject OwnerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = J.Str(owner, "apiVersion"),
        ["kind"] = J.Str(owner, "kind"),
        ["name"] = J.Name(owner),
        ["uid"] = J.Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    private static long Revision(JsonObject rs) => long.TryParse(J.Str(rs, "metadata", "annotations", RevisionAnnotation), CultureInfo.InvariantCulture, out var r) ? r : 0;

    private static int Replicas(JsonObject rs) => (int)(J.Long(rs, "spec", "replicas") ?? 0);

    private static int Available(JsonObject rs) => (int)(J.Long(rs, "status", "availableReplicas") ?? 0);
}

/// <summary>Keeps each ReplicaSet's pod count at its spec, creating from the template and deleting the least useful pods first.</summary>
internal sealed class ReplicaSetController(ObjectStore store, EventRecorder events, SandboxTimings timings)
{
    private const string Component = "replicaset-controller";
    private readonly Dictionary<string, DateTimeOffset> _failedCreate = [];

    public void Reconcile()
    {
        var podsByOwner = store.List(ResourceTypes.Pods)
            .SelectMany(p => J.Objects(J.At(p, "metadata", "ownerReferences")).Where(r => J.Bool(r, "controller") ?? false).Select(r => (Owner: J.Str(r, "uid") ?? "", Pod: p)))
            .ToLookup(x => x.Owner, x => x.Pod);
        foreach (var rs in store.List(ResourceTypes.ReplicaSets))
        {
            if (!J.IsTerminating(rs))
            {
                ReconcileOne(rs, [.. podsByOwner[J.Uid(rs)]]);
            }
        }
    }

    private void ReconcileOne(JsonObject rs, List<JsonObject> pods)
    {
        var active = pods.Where(PodResources.IsActive).ToList();
        var desired = (int)(J.Long(rs, "spec", "replicas") ?? 1);
        var now = store.Clock.GetUtcNow();

        // As kube-controller-manager's: the last sync's error shows as ReplicaFailure until a sync succeeds. While a
        // failed create waits for its retry, the condition stays as it is.
        var failure = J.Objects(J.At(rs, "status", "conditions")).FirstOrDefault(c => J.Str(c, "type") == "ReplicaFailure");
        if (active.Count >= desired)
        {
            failure = null;
        }

        if (active.Count < desired && !(_failedCreate.TryGetValue(J.Uid(rs), out var retry) && now < retry))
        {
            failure = null;
            for (var i = active.Count; i < desired; i++)
            {
                try
                {
                    var pod = store.Create(ResourceTypes.Pods, PodFor(rs));
                    events.Normal(rs, Component, "SuccessfulCreate", $"Created pod: {J.Name(pod)}");
                    active.Add(pod);
                    _failedCreate.Remove(J.Uid(rs));
                }
                catch (StatusError ex)
                {
                    events.Warning(rs, Component, "FailedCreate", $"Error creating: {ex.Message}");
                    _failedCreate[J.Uid(rs)] = now + timings.ScheduleRetry;
                    failure = ReplicaFailure(rs, ex.Message, now);
                    break;
                }
            }
        }
        else if (active.Count > desired)
        {
            var victims = active.OrderBy(p => J.Str(p, "spec", "nodeName") is null ? 0 : 1)
                .ThenBy(p => J.Str(p, "status", "phase") == "Running" ? 1 : 0)
                .ThenBy(p => Kubelet.IsReady(p) ? 1 : 0)
                .ThenByDescending(p => J.Str(p, "metadata", "creationTimestamp"), StringComparer.Ordinal)
                .Take(active.Count - desired);
            foreach (var pod in victims)
            {
                try
                {
                    store.Delete(ResourceTypes.Pods, J.Namespace(pod), J.Name(pod));
                    events.Normal(rs, Component, "SuccessfulDelete", $"Deleted pod: {J.Name(pod)}");
                }
                catch (StatusError)
                {
                    // Gone meanwhile.
                }
            }

            active = [.. active.Where(p => store.Get(ResourceTypes.Pods, J.Namespace(p), J.Name(p)) is { } current && PodResources.IsActive(current))];
        }

        var minReady = J.Long(rs, "spec", "minReadySeconds") ?? 0;
        var ready = active.Count(Kubelet.IsReady);
        var available = active.Count(p => Kubelet.IsReady(p) && Kubelet.ReadySince(p) is { } since && now - since >= TimeSpan.FromSeconds(minReady));
        var selector = LabelSelector.FromObject(J.At(rs, "spec", "selector"));
        var status = new JsonObject
        {
            ["replicas"] = active.Count,
            ["fullyLabeledReplicas"] = active.Count(p => selector.Matches(J.Labels(p))),
            ["readyReplicas"] = ready,
            ["availableReplicas"] = available,
            ["observedGeneration"] = J.Long(rs, "metadata", "generation") ?? 1,
        };
        if (failure is not null)
        {
            status["conditions"] = new JsonArray(failure.DeepClone());
        }

        store.Mutate(ResourceTypes.ReplicaSets, J.Namespace(rs), J.Name(rs), r => J.Set(r, "status", status));
    }

    /// <summary>The ReplicaFailure condition for a failed create: the first failure's, kept (as the real controller keeps it) while creates keep failing.</summary>
    private static JsonObject ReplicaFailure(JsonObject rs, string message, DateTimeOffset now) =>
        J.Objects(J.At(rs, "status", "conditions")).FirstOrDefault(c => J.Str(c, "type") == "ReplicaFailure") ?? new JsonObject
        {
            ["type"] = "ReplicaFailure",
            ["status"] = "True",
            ["lastTransitionTime"] = J.Time(now),
            ["reason"] = "FailedCreate",
            ["message"] = message,
        };

    private static JsonObject PodFor(JsonObject rs)
    {
        var template = (JsonObject)(J.At(rs, "spec", "template")?.DeepClone() ?? new JsonObject());
        var meta = (JsonObject?)template["metadata"]?.DeepClone() ?? [];
        meta["generateName"] = J.Name(rs) + "-";
        meta["namespace"] = J.Namespace(rs);
        meta["ownerReferences"] = new JsonArray(DeploymentController.OwnerReference(rs));
        return new JsonObject
        {
            ["metadata"] = meta,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
            ["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "Burstable" },
        };
    }
}
