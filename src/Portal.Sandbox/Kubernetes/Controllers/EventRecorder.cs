using System.Globalization;
using System.Text.Json.Nodes;
using Portal.Sandbox.Kubernetes.Store;

namespace Portal.Sandbox.Kubernetes.Controllers;

/// <summary>
/// Writes core/v1 Events as the components of a cluster do, aggregating repeats of the same reason and message
/// on the same object into one Event with a count.
/// </summary>
public sealed class EventRecorder(ObjectStore store)
{
    /// <summary>The event last written per (namespace, object, reason, message), so repeats aggregate without a scan.</summary>
    private readonly Dictionary<(string, string, string, string), string> _recent = [];

    public void Normal(JsonObject about, string component, string reason, string message) => Record(about, component, "Normal", reason, message);

    public void Warning(JsonObject about, string component, string reason, string message) => Record(about, component, "Warning", reason, message);

    public void Record(JsonObject about, string component, string type, string reason, string message)
    {
        var ns = J.Namespace(about) ?? "default";
        if (store.Get(ResourceTypes.Namespaces, null, ns) is not { } nsObject || J.IsTerminating(nsObject))
        {
            return;
        }

        var now = J.Time(store.Clock.GetUtcNow());
        var uid = J.Uid(about);
        var key = (ns, uid, reason, message);
        lock (_recent)
        {
            // The same thing happening again on the same object is counted on its event, if that event still exists.
            if (_recent.TryGetValue(key, out var existing) && store.Mutate(ResourceTypes.Events, ns, existing, e =>
                {
                    e["count"] = (J.Long(e, "count") ?? 1) + 1;
                    e["lastTimestamp"] = now;
                    return true;
                }) is not null)
            {
                return;
            }

            if (_recent.Count > 50_000)
            {
                _recent.Clear();
            }
        }

        var name = $"{J.Name(about)}.{store.Clock.GetUtcNow().UtcTicks.ToString("x", CultureInfo.InvariantCulture)}{Random.Shared.Next(4096):x3}";
        var involved = new JsonObject
        {
            ["kind"] = J.Str(about, "kind"),
            ["namespace"] = J.Namespace(about),
            ["name"] = J.Name(about),
            ["uid"] = uid,
            ["apiVersion"] = J.Str(about, "apiVersion"),
            ["resourceVersion"] = J.Str(about, "metadata", "resourceVersion"),
        };
        try
        {
            lock (_recent)
            {
                _recent[key] = name;
            }

            store.Create(ResourceTypes.Events, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                ["involvedObject"] = involved,
                ["reason"] = reason,
                ["message"] = message,
                ["source"] = new JsonObject { ["component"] = component },
                ["firstTimestamp"] = now,
                ["lastTimestamp"] = now,
                ["count"] = 1,
                ["type"] = type,
                ["reportingComponent"] = component,
                ["reportingInstance"] = "",
            });
        }
        catch (StatusError)
        {
            // Events are best effort, as in a cluster: a lost event never fails the work it describes.
        }
    }
}
