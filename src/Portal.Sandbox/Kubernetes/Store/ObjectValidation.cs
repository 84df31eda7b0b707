using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portal.Sandbox.Kubernetes.Store;

/// <summary>
/// The API server's validation for what the sandbox serves, where a wrong object would otherwise confuse a
/// controller: names, and the fields workloads cannot work without. Messages follow <c>field.ErrorList</c>.
/// </summary>
internal static partial class ObjectValidation
{
    public static void Validate(ResourceType type, JsonObject obj, JsonObject? old)
    {
        var name = J.Name(obj);
        var errors = new List<(string, string)>();
        if (name.Length == 0)
        {
            throw StatusError.Invalid(type, "", [("metadata.name", "metadata.name: Required value: name or generateName is required")]);
        }

        if (type == ResourceTypes.Namespaces ? !Label().IsMatch(name) || name.Length > 63 : !Subdomain().IsMatch(name) || name.Length > 253)
        {
            var what = type == ResourceTypes.Namespaces
                ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
            errors.Add(("metadata.name", $"metadata.name: Invalid value: \"{name}\": {what}"));
        }

        foreach (var (key, value) in J.Labels(obj))
        {
            if (!LabelKey().IsMatch(key))
            {
                errors.Add(("metadata.labels", $"metadata.labels: Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
            }

            if (value.Length > 63 || (value.Length > 0 && !LabelValue().IsMatch(value)))
            {
                errors.Add(("metadata.labels", $"metadata.labels: Invalid value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
            }
        }

        if (type == ResourceTypes.Pods)
        {
            if (old is null)
            {
                Containers(J.At(obj, "spec"), "spec", errors);
            }
            else if (!JsonNode.DeepEquals(J.At(obj, "spec", "containers"), J.At(old, "spec", "containers"))
                     && !SameExceptImages(J.At(obj, "spec", "containers"), J.At(old, "spec", "containers")))
            {
                errors.Add(("spec", "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"));
            }
        }
        else if (type == ResourceTypes.Deployments || type == ResourceTypes.ReplicaSets)
        {
            var selector = J.At(obj, "spec", "selector");
            if (selector is null)
            {
                errors.Add(("spec.selector", "spec.selector: Required value"));
            }
            else
            {
                var templateLabels = J.StringMap(J.At(obj, "spec", "template", "metadata", "labels"));
                if (!LabelSelector.FromObject(selector).Matches(templateLabels))
                {
                    errors.Add(("spec.template.metadata.labels", $"spec.template.metadata.labels: Invalid value: {{{string.Join(",", templateLabels.Select(l => $"\"{l.Key}\":\"{l.Value}\""))}}}: `selector` does not match template `labels`"));
                }

                if (old is not null && !JsonNode.DeepEquals(selector, J.At(old, "spec", "selector")))
                {
                    errors.Add(("spec.selector", "spec.selector: Invalid value: field is immutable"));
                }
            }

            if (J.Long(obj, "spec", "replicas") is < 0)
            {
                errors.Add(("spec.replicas", $"spec.replicas: Invalid value: {J.Long(obj, "spec", "replicas")}: must be greater than or equal to 0"));
            }

            Containers(J.At(obj, "spec", "template", "spec"), "spec.template.spec", errors);
        }
        else if (type == ResourceTypes.PersistentVolumeClaims)
        {
            ClaimValidation.Validate(obj, old, errors);
        }

        if (errors.Count > 0)
        {
            throw StatusError.Invalid(type, name, errors);
        }
    }

    private static void Containers(JsonNode? podSpec, string at, List<(string, string)> errors)
    {
        if (J.At(podSpec, "containers") is not JsonArray { Count: > 0 } containers)
        {
            errors.Add(($"{at}.containers", $"{at}.containers: Required value"));
            return;
        }

        var i = 0;
        foreach (var c in containers.OfType<JsonObject>())
        {
            if (string.IsNullOrEmpty(J.Str(c, "name")))
            {
                errors.Add(($"{at}.containers[{i}].name", $"{at}.containers[{i}].name: Required value"));
            }

            if (string.IsNullOrEmpty(J.Str(c, "image")))
            {
                errors.Add(($"{at}.containers[{i}].image", $"{at}.containers[{i}].image: Required value"));
            }

            i++;
        }
    }

    private static bool SameExceptImages(JsonNode? a, JsonNode? b)
    {
        if (a is not JsonArray x || b is not JsonArray y || x.Count != y.Count)
        {
            return false;
        }

        for (var i = 0; i < x.Count; i++)
        {
            var left = (JsonObject)x[i]!.DeepClone();
            var right = (JsonObject)y[i]!.DeepClone();
            left.Remove("image");
            right.Remove("image");
            if (!JsonNode.DeepEquals(left, right))
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\z")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z")]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?\z")]
    private static partial Regex LabelKey();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\\z")]
    private static partial Regex LabelValue();
}
