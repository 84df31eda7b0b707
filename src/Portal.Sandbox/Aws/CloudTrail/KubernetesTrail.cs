using System.Text.Json.Nodes;
using Portal.Core.Alarms;
using Portal.Sandbox.Kubernetes.Api;

namespace Portal.Sandbox.Aws.CloudTrail;

/// <summary>
/// The sandbox Kubernetes API's writes as trail events, as CloudTrail shows an EKS cluster's control-plane changes:
/// source <c>kubernetes.sandbox</c>, names like <c>CreateNamespace</c>, <c>PatchDeployment</c>,
/// <c>DeleteResourceQuota</c> (<c>UpdateDeploymentScale</c> for the scale subresource), the caller and its
/// User-Agent, and the object as the one resource (<c>apps/v1/Deployment</c>, <c>prod/payments-api</c>). The
/// request parameters name the object; the request body (a Secret's data, say) is never recorded.
/// </summary>
internal static class KubernetesTrail
{
    public const string EventSource = "kubernetes.sandbox";

    public static IDisposable Connect(ApiAudit audit, SandboxTrail trail) => audit.Subscribe(write => Record(trail, write));

    public static TrailRecord Record(SandboxTrail trail, ApiWrite write)
    {
        var eventName = Capitalized(write.Verb) + write.Type.Kind + (write.Subresource is { } sub ? Capitalized(sub) : "");
        var parameters = new JsonObject
        {
            ["apiVersion"] = write.Type.GroupVersion,
            ["resource"] = write.Type.Plural,
            ["namespace"] = write.Namespace,
            ["name"] = write.Name,
        };
        if (write.Subresource is not null)
        {
            parameters["subresource"] = write.Subresource;
        }

        if (write.FieldManager is not null)
        {
            parameters["fieldManager"] = write.FieldManager;
        }

        var resource = new TrailResource($"{write.Type.GroupVersion}/{write.Type.Kind}", write.Namespace is null ? write.Name : $"{write.Namespace}/{write.Name}");
        return trail.Record(EventSource, eventName, new TrailCaller(write.User, write.UserAgent, write.SourceAddress), parameters, [resource]);
    }

    private static string Capitalized(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
