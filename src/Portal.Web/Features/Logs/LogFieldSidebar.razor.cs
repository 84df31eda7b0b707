using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Core.Logs;

namespace Portal.Web.Features.Logs;

/// <summary>
/// The field sidebar: the fields of the newest hits (the response's sample) with their five most frequent values and
/// each value's share of the sample, filter for and filter out, add or remove as a column; then the fields the store
/// knows that the sample lacks, greyed.
/// </summary>
public sealed partial class LogFieldSidebar
{
    private string _search = "";
    private string? _open;

    [Parameter, EditorRequired]
    public IReadOnlyList<LogFieldSummary> Fields { get; set; } = [];

    /// <summary>How many hits the summaries were computed from.</summary>
    [Parameter, EditorRequired]
    public int SampleSize { get; set; }

    /// <summary>Every field the searched environments' documents carry (the back end's list).</summary>
    [Parameter]
    public IReadOnlyList<LogField> AllFields { get; set; } = [];

    [Parameter]
    public IReadOnlyList<string> Columns { get; set; } = [];

    /// <summary>A field whose values show when the sidebar first renders.</summary>
    [Parameter]
    public string? InitiallyOpen { get; set; }

    [Parameter]
    public EventCallback<LogFilter> OnFilter { get; set; }

    [Parameter]
    public EventCallback<string> OnToggleColumn { get; set; }

    private IEnumerable<LogFieldSummary> Shown => Fields.Where(f => Matches(f.Name));

    private IEnumerable<LogField> Unsampled
    {
        get
        {
            var sampled = Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            return AllFields.Where(f => !sampled.Contains(f.Name) && Matches(f.Name));
        }
    }

    /// <summary>A share of the sample as the sidebar writes it: 0.375 is "37.5%".</summary>
    internal static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string TypeBadge(LogFieldType type) => type switch
    {
        LogFieldType.Number => "#",
        LogFieldType.Date => "d",
        LogFieldType.Boolean => "b",
        _ => "t",
    };

    protected override void OnInitialized() => _open = InitiallyOpen;

    private bool Matches(string name) => _search.Length == 0 || name.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase);

    private void Toggle(string field) => _open = _open == field ? null : field;
}
