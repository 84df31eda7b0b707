using System.Collections;
using Microsoft.AspNetCore.Components.Forms;
using Portal.Core.Validation;

namespace Portal.Web.Components.Shared;

/// <summary>Puts a use case's field errors (keyed by wire name) under the matching form fields.</summary>
internal static class FormErrors
{
    /// <summary>Adds each error to its field; returns a summary line for errors that have no field on the form.</summary>
    public static string Show(ValidationErrors errors, ValidationMessageStore store, object model)
    {
        var unplaced = new List<string>();
        foreach (var (key, messages) in errors.ToDictionary())
        {
            if (FieldFor(model, key) is { } field)
            {
                store.Add(field, messages);
            }
            else
            {
                unplaced.AddRange(messages.Select(m => $"{key}: {m}"));
            }
        }

        return unplaced.Count == 0 ? "Please correct the fields marked below." : string.Join(" ", unplaced);
    }

    /// <summary>
    /// The field an error key names: a path through the model ("resources.cpuRequest" on Resources.CpuRequest,
    /// "ports[0].port" on the first row of Ports), else the flattened name ("quota.cpu" on QuotaCpu), else the field
    /// of its first part ("labels.-x" on Labels, "ports[7].port" on Ports when there is no such row).
    /// </summary>
    private static FieldIdentifier? FieldFor(object model, string key)
    {
        if (Walk(model, key) is { } field)
        {
            return field;
        }

        var parts = key.Split('.');
        var whole = string.Concat(parts.Select(Pascal));
        var name = new[] { whole, Pascal(Segment(parts[0]).Name) }.FirstOrDefault(n => n.Length > 0 && model.GetType().GetProperty(n) is not null);
        return name is null ? null : new FieldIdentifier(model, name);
    }

    /// <summary>Follows the key's parts through nested objects and list rows; null where the model has no such path.</summary>
    private static FieldIdentifier? Walk(object model, string key)
    {
        var target = model;
        var parts = key.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var (name, index) = Segment(parts[i]);
            var property = name.Length == 0 ? null : target.GetType().GetProperty(Pascal(name));
            if (property is null)
            {
                return null;
            }

            if (i == parts.Length - 1 && index is null)
            {
                return new FieldIdentifier(target, property.Name);
            }

            var value = property.GetValue(target);
            if (index is { } n)
            {
                value = value is IList list && n < list.Count ? list[n] : null;
            }
            else if (value is string or IEnumerable)
            {
                return null;   // a list is entered by index only; a text has no fields
            }

            if (value is null || value.GetType().IsPrimitive)
            {
                return null;
            }

            target = value;
        }

        return null;
    }

    /// <summary>"ports[2]" as ("ports", 2); "owningTeam" as ("owningTeam", null).</summary>
    private static (string Name, int? Index) Segment(string part)
    {
        var open = part.IndexOf('[', StringComparison.Ordinal);
        return open > 0 && part.EndsWith(']') && int.TryParse(part.AsSpan(open + 1, part.Length - open - 2), out var index) && index >= 0
            ? (part[..open], index)
            : (part, null);
    }

    private static string Pascal(string part) => part.Length == 0 ? "" : char.ToUpperInvariant(part[0]) + part[1..];

    /// <summary>"team=payments, app=api" as a dictionary; null when a part is not key=value.</summary>
    public static Dictionary<string, string>? ParseLabels(string? text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return null;
            }

            labels[part[..equals].Trim()] = part[(equals + 1)..].Trim();
        }

        return labels;
    }
}
