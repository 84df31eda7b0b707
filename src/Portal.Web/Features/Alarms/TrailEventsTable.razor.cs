using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Portal.Core.Alarms;

namespace Portal.Web.Features.Alarms;

public sealed partial class TrailEventsTable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly HashSet<string> _open = new(StringComparer.Ordinal);

    /// <summary>Newest first.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<TrailEvent> Events { get; set; } = [];

    private void Toggle(string id)
    {
        if (!_open.Remove(id))
        {
            _open.Add(id);
        }
    }

    private static string Resources(TrailEvent e) =>
        string.Join(", ", e.Resources.Select(r => r.Name is null ? null : r.Type is { } type ? $"{r.Name} ({type})" : r.Name).OfType<string>());

    /// <summary>The record indented; as it came when it is not JSON.</summary>
    internal static string Pretty(string? detail)
    {
        if (string.IsNullOrWhiteSpace(detail))
        {
            return "(CloudTrail gave no record for this event)";
        }

        try
        {
            return JsonNode.Parse(detail)?.ToJsonString(Indented) ?? detail;
        }
        catch (JsonException)
        {
            return detail;
        }
    }
}
