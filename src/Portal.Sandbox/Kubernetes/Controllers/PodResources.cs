using Portal.Core.Resources;
using System.Text.Json.Nodes;
using Portal.Kubernetes.Model;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Controllers;

/// <summary>What a pod asks for: the sums over its containers, in millicores and bytes.</summary>
internal readonly record struct PodResources(long CpuRequest, long MemoryRequest, long CpuLimit, long MemoryLimit)
{
    public static PodResources Of(JsonObject pod)
    {
        long cr = 0, mr = 0, cl = 0, ml = 0;
        foreach (var c in J.Objects(J.At(pod, "spec", "containers")))
        {
            cr += Quantity.CpuMillis(J.Str(c, "resources", "requests", "cpu"));
            mr += Quantity.Bytes(J.Str(c, "resources", "requests", "memory"));
            cl += Quantity.CpuMillis(J.Str(c, "resources", "limits", "cpu"));
            ml += Quantity.Bytes(J.Str(c, "resources", "limits", "memory"));
        }

        return new(cr, mr, cl, ml);
    }

    /// <summary>Pods that still hold their resources: not finished, not being deleted.</summary>
    public static bool IsActive(JsonObject pod) =>
        !J.IsTerminating(pod) && J.Str(pod, "status", "phase") is not ("Succeeded" or "Failed");
}

/// <summary>The LimitRanger admission plugin: container defaults from the namespace's LimitRanges, and their maxima.</summary>
internal sealed class LimitRanger : IAdmissionPlugin
{
    public void Admit(ObjectStore store, ResourceType type, JsonObject obj, JsonObject? old)
    {
        if (type != ResourceTypes.Pods || old is not null)
        {
            return;
        }

        foreach (var range in store.List(ResourceTypes.LimitRanges, J.Namespace(obj)))
        {
            foreach (var limit in J.Objects(J.At(range, "spec", "limits")).Where(l => J.Str(l, "type") == "Container"))
            {
                foreach (var container in J.Objects(J.At(obj, "spec", "containers")))
                {
                    var resources = J.Obj(container, "resources");
                    foreach (var resource in new[] { "cpu", "memory" })
                    {
                        var ownLimit = J.Str(resources, "limits", resource);
                        if (J.Str(limit, "default", resource) is { } dl && ownLimit is null)
                        {
                            J.Obj(resources, "limits")[resource] = dl;
                        }

                        // A container with its own limit but no request gets the limit as its request (as the API defaults it);
                        // otherwise the range's defaultRequest, or its default limit.
                        if ((ownLimit ?? J.Str(limit, "defaultRequest", resource) ?? J.Str(limit, "default", resource)) is { } dr && J.Str(resources, "requests", resource) is null)
                        {
                            J.Obj(resources, "requests")[resource] = dr;
                        }

                        if (J.Str(limit, "max", resource) is { } max && J.Str(resources, "limits", resource) is { } actual
                            && (Quantity.TryParse(actual) ?? 0) > (Quantity.TryParse(max) ?? decimal.MaxValue))
                        {
                            throw StatusError.Forbidden(type, J.Name(obj), $"maximum {resource} usage per Container is {max}, but limit is {actual}");
                        }
                    }
                }
            }
        }
    }
}

/// <summary>The ResourceQuota admission plugin: a create that would exceed a quota of the namespace is refused.</summary>
internal sealed class ResourceQuotaAdmission : IAdmissionPlugin
{
    public void Admit(ObjectStore store, ResourceType type, JsonObject obj, JsonObject? old)
    {
        if (old is not null || !type.Namespaced || type == ResourceTypes.Events)
        {
            return;
        }

        var ns = J.Namespace(obj);
        foreach (var quota in store.List(ResourceTypes.ResourceQuotas, ns))
        {
            var hard = J.StringMap(J.At(quota, "spec", "hard"));
            if (hard.Count == 0)
            {
                continue;
            }

            var used = QuotaUsage.Compute(store, ns!, hard.Keys);
            var requested = QuotaUsage.Of(type, obj, hard.Keys);
            if (type == ResourceTypes.Pods)
            {
                var missing = hard.Keys.Where(k => k is "requests.cpu" or "requests.memory" or "limits.cpu" or "limits.memory" or "cpu" or "memory").ToList();
                foreach (var key in missing)
                {
                    var (section, resource) = key.Contains('.', StringComparison.Ordinal) ? (key.Split('.')[0], key.Split('.')[1]) : ("requests", key);
                    var lacking = J.Objects(J.At(obj, "spec", "containers")).Where(c => J.Str(c, "resources", section, resource) is null).Select(c => J.Str(c, "name")).ToList();
                    if (lacking.Count > 0)
                    {
                        throw StatusError.Forbidden(type, J.Name(obj), $"failed quota: {J.Name(quota)}: must specify {key} for: {string.Join(",", lacking)}");
                    }
                }
            }

            var exceeded = requested.Where(r => r.Value > 0 && used.GetValueOrDefault(r.Key) + r.Value > (Quantity.TryParse(hard[r.Key]) ?? decimal.MaxValue)).Select(r => r.Key).ToList();
            if (exceeded.Count > 0)
            {
                string List(Func<string, string> value) => string.Join(",", exceeded.Select(k => $"{k}={value(k)}"));
                throw StatusError.Forbidden(type, J.Name(obj),
                    $"exceeded quota: {J.Name(quota)}, requested: {List(k => QuotaUsage.Format(k, requested[k]))}, used: {List(k => QuotaUsage.Format(k, used.GetValueOrDefault(k)))}, limited: {List(k => hard[k])}");
            }
        }
    }
}

/// <summary>What counts against a quota, per quota key.</summary>
internal static class QuotaUsage
{
    public static Dictionary<string, decimal> Compute(ObjectStore store, string ns, IEnumerable<string> keys)
    {
        var keyList = keys.ToList();
        var used = keyList.ToDictionary(k => k, _ => 0m);
        foreach (var type in ResourceTypes.All.Where(t => t.Namespaced && t != ResourceTypes.Events))
        {
            if (!keyList.Any(k => Counts(k, type)) && type != ResourceTypes.Pods)
            {
                continue;
            }

            foreach (var o in store.List(type, ns))
            {
                if (type == ResourceTypes.Pods && !PodResources.IsActive(o))
                {
                    continue;
                }

                foreach (var (k, v) in Of(type, o, keyList))
                {
                    used[k] += v;
                }
            }
        }

        return used;
    }

    public static Dictionary<string, decimal> Of(ResourceType type, JsonObject obj, IEnumerable<string> keys)
    {
        var result = new Dictionary<string, decimal>();
        var pod = type == ResourceTypes.Pods ? PodResources.Of(obj) : default;
        foreach (var key in keys)
        {
            decimal? value = key switch
            {
                "requests.cpu" or "cpu" when type == ResourceTypes.Pods => pod.CpuRequest / 1000m,
                "requests.memory" or "memory" when type == ResourceTypes.Pods => pod.MemoryRequest,
                "limits.cpu" when type == ResourceTypes.Pods => pod.CpuLimit / 1000m,
                "limits.memory" when type == ResourceTypes.Pods => pod.MemoryLimit,
                _ when Counts(key, type) => 1,
                _ => null,
            };
            if (value is { } v)
            {
                result[key] = v;
            }
        }

        return result;
    }

    public static string Format(string key, decimal value) =>
        key.EndsWith("cpu", StringComparison.Ordinal) ? Portal.Core.Resources.Quantity.FormatCpu((long)(value * 1000))
        : key.EndsWith("memory", StringComparison.Ordinal) ? Portal.Core.Resources.Quantity.FormatBytes((long)value)
        : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool Counts(string key, ResourceType type) =>
        key == type.Plural || key == $"count/{type.QualifiedName}";
}
