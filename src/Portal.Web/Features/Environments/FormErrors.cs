using Microsoft.AspNetCore.Components.Forms;
using Portal.Core.Validation;

namespace Portal.Web.Features.Environments;

/// <summary>Puts a use case's field errors (keyed by wire name) under the matching form fields.</summary>
internal static class FormErrors
{
    /// <summary>Adds each error to its field; returns a summary line for errors that have no field on the form.</summary>
    public static string Show(ValidationErrors errors, ValidationMessageStore store, object model)
    {
        var unplaced = new List<string>();
        foreach (var (key, messages) in errors.ToDictionary())
        {
            if (FieldFor(model, key) is { } name)
            {
                store.Add(new FieldIdentifier(model, name), messages);
            }
            else
            {
                unplaced.AddRange(messages.Select(m => $"{key}: {m}"));
            }
        }

        return unplaced.Count == 0 ? "Please correct the fields marked below." : string.Join(" ", unplaced);
    }

    /// <summary>"quota.cpu" lands on QuotaCpu when the form has one, else on Quota; "labels.-x" on Labels.</summary>
    private static string? FieldFor(object model, string key)
    {
        var parts = key.Split('.');
        var whole = string.Concat(parts.Select(Pascal));
        return new[] { whole, Pascal(parts[0]) }.FirstOrDefault(n => n.Length > 0 && model.GetType().GetProperty(n) is not null);
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
