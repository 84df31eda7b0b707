using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Portal.Core.Resources;

namespace Portal.Sandbox.Kubernetes.Store;

/// <summary>
/// The API server's checks on a PersistentVolumeClaim (<c>ValidatePersistentVolumeClaim</c>), with its field paths
/// and wording: at least one known access mode, a positive <c>storage</c> request, and a spec that only the binder
/// (<c>volumeName</c>) and a resize (<c>resources</c>) may change after creation.
/// </summary>
internal static partial class ClaimValidation
{
    private const string StorageField = "spec.resources[storage]";

    private static readonly string[] AccessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

    public static void Validate(JsonObject claim, JsonObject? old, List<(string, string)> errors)
    {
        var modes = J.At(claim, "spec", "accessModes") as JsonArray;
        if (modes is not { Count: > 0 })
        {
            errors.Add(("spec.accessModes", "spec.accessModes: Required value: at least 1 access mode is required"));
        }
        else
        {
            foreach (var mode in modes.Select(m => m?.GetValueKind() == System.Text.Json.JsonValueKind.String ? m.GetValue<string>() : m?.ToJsonString() ?? "null").Where(m => !AccessModes.Contains(m)))
            {
                errors.Add(("spec.accessModes", $"spec.accessModes: Unsupported value: \"{mode}\": supported values: {string.Join(", ", AccessModes.Select(m => $"\"{m}\""))}"));
            }
        }

        var storage = J.Str(claim, "spec", "resources", "requests", "storage");
        if (storage is null)
        {
            errors.Add((StorageField, $"{StorageField}: Required value"));
        }
        else if (!QuantityText().IsMatch(storage) || Quantity.TryParse(storage) is not { } size)
        {
            errors.Add((StorageField, $"{StorageField}: Invalid value: \"{storage}\": quantities must match the regular expression '{QuantityText()}'"));
        }
        else if (size <= 0)
        {
            errors.Add((StorageField, $"{StorageField}: Invalid value: \"{storage}\": must be greater than zero"));
        }

        if (old is not null && !SpecUnchangedButForBindingAndSize(J.At(claim, "spec") as JsonObject, J.At(old, "spec") as JsonObject))
        {
            errors.Add(("spec", "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
        }
    }

    /// <summary>The binder sets <c>volumeName</c> once; <c>resources</c> may grow (a resize). Anything else is fixed.</summary>
    private static bool SpecUnchangedButForBindingAndSize(JsonObject? spec, JsonObject? old)
    {
        var oldVolume = J.Str(old, "volumeName");
        if (!string.IsNullOrEmpty(oldVolume) && J.Str(spec, "volumeName") != oldVolume)
        {
            return false;
        }

        static JsonObject Fixed(JsonObject? s)
        {
            var copy = (JsonObject?)s?.DeepClone() ?? [];
            copy.Remove("volumeName");
            copy.Remove("resources");
            copy["volumeMode"] ??= "Filesystem";   // the API's default, whether or not a write spelled it out
            return copy;
        }

        return JsonNode.DeepEquals(Fixed(spec), Fixed(old));
    }

    /// <summary>The grammar of <c>resource.Quantity</c> as the API server states it when it refuses one.</summary>
    [GeneratedRegex("^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")]
    private static partial Regex QuantityText();
}
