using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Controllers;

/// <summary>A terminating namespace has its contents deleted, then goes itself.</summary>
internal sealed class NamespaceController(ObjectStore store)
{
    public void Reconcile()
    {
        foreach (var ns in store.List(ResourceTypes.Namespaces).Where(J.IsTerminating))
        {
            var name = J.Name(ns);
            var left = 0;
            foreach (var type in ResourceTypes.All.Where(t => t.Namespaced))
            {
                foreach (var o in store.List(type, name))
                {
                    left++;
                    if (!J.IsTerminating(o) || type == ResourceTypes.Events)
                    {
                        try
                        {
                            store.Delete(type, name, J.Name(o), type == ResourceTypes.Events ? new DeleteOptions(GracePeriodSeconds: 0) : null);
                        }
                        catch (StatusError)
                        {
                            // Gone meanwhile.
                        }
                    }
                }
            }

            if (left == 0)
            {
                store.Remove(ResourceTypes.Namespaces, null, name);
            }
        }
    }
}

/// <summary>
/// Deletes objects whose owners are gone (background propagation), and finishes foreground deletions: the
/// dependents of an owner marked <c>foregroundDeletion</c> go first, then the owner.
/// </summary>
internal sealed class GarbageCollector(ObjectStore store)
{
    public void Reconcile()
    {
        var uids = store.Uids();
        var foreground = new Dictionary<string, (ResourceType Type, JsonObject Owner)>();
        foreach (var type in ResourceTypes.All)
        {
            foreach (var o in store.List(type))
            {
                if (J.IsTerminating(o) && J.At(o, "metadata", "finalizers") is JsonArray f && f.Any(x => x?.GetValue<string>() == "foregroundDeletion"))
                {
                    foreground[J.Uid(o)] = (type, o);
                }
            }
        }

        var dependentsLeft = new HashSet<string>();
        foreach (var type in ResourceTypes.All.Where(t => t.Namespaced))
        {
            foreach (var o in store.List(type))
            {
                if (J.At(o, "metadata", "ownerReferences") is not JsonArray { Count: > 0 } owners)
                {
                    continue;
                }

                var ownerUids = owners.OfType<JsonObject>().Select(r => J.Str(r, "uid") ?? "").ToList();
                var orphaned = ownerUids.All(u => !uids.Contains(u));
                var inForeground = ownerUids.FirstOrDefault(foreground.ContainsKey);
                if (inForeground is not null)
                {
                    dependentsLeft.Add(inForeground);
                }

                if ((orphaned || inForeground is not null) && !J.IsTerminating(o))
                {
                    try
                    {
                        store.Delete(type, J.Namespace(o), J.Name(o), new DeleteOptions(inForeground is not null ? "Foreground" : "Background"));
                    }
                    catch (StatusError)
                    {
                        // Gone meanwhile.
                    }
                }
            }
        }

        foreach (var (uid, (type, owner)) in foreground)
        {
            if (!dependentsLeft.Contains(uid))
            {
                store.Mutate(type, J.Namespace(owner), J.Name(owner), o =>
                {
                    var kept = new JsonArray([.. ((JsonArray)J.At(o, "metadata", "finalizers")!).Where(x => x?.GetValue<string>() != "foregroundDeletion").Select(x => x?.DeepClone())]);
                    J.Meta(o)["finalizers"] = kept;
                    return true;
                });
            }
        }
    }
}

/// <summary>Keeps each ResourceQuota's status (hard and used) current, as kube-controller-manager does.</summary>
internal sealed class QuotaController(ObjectStore store)
{
    public void Reconcile()
    {
        foreach (var quota in store.List(ResourceTypes.ResourceQuotas))
        {
            var hard = J.StringMap(J.At(quota, "spec", "hard"));
            var used = QuotaUsage.Compute(store, J.Namespace(quota)!, hard.Keys);
            var status = new JsonObject
            {
                ["hard"] = J.ToJson(hard),
                ["used"] = J.ToJson(used.ToDictionary(u => u.Key, u => QuotaUsage.Format(u.Key, u.Value))),
            };
            store.Mutate(ResourceTypes.ResourceQuotas, J.Namespace(quota), J.Name(quota), q => J.Set(q, "status", status));
        }
    }
}

/// <summary>Events expire an hour after they last happened (the API server's default event TTL).</summary>
internal sealed class EventTtlController(ObjectStore store)
{
    private DateTimeOffset _next;

    public void Reconcile()
    {
        var now = store.Clock.GetUtcNow();
        if (now < _next)
        {
            return;
        }

        _next = now.AddMinutes(1);
        foreach (var e in store.List(ResourceTypes.Events))
        {
            if (J.ParseTime(J.Str(e, "lastTimestamp")) is { } last && last < now.AddHours(-1))
            {
                store.Remove(ResourceTypes.Events, J.Namespace(e), J.Name(e));
            }
        }
    }
}
