using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Portal.Core.Logs;

namespace Portal.Web.Features.Logs;

/// <summary>
/// The range of a search: a quick range, or from and to typed as Kibana takes them (<c>now-1h</c>, <c>now/d</c>, an
/// ISO time; a time without an offset is read in the user's zone). Checked here before it reaches the URL, so a typo is
/// named under its input; the server's own errors appear there too. Also the auto-refresh interval.
/// </summary>
public sealed partial class LogTimePicker
{
    private string _from = "";
    private string _to = "";
    private (string From, string To)? _shown;
    private string? _fromError;
    private string? _toError;

    [Parameter, EditorRequired]
    public string From { get; set; } = DiscoverState.DefaultFrom;

    [Parameter, EditorRequired]
    public string To { get; set; } = DiscoverState.DefaultTo;

    /// <summary>The last search's range, resolved, shown under the inputs.</summary>
    [Parameter]
    public DateTimeOffset? ResolvedFrom { get; set; }

    [Parameter]
    public DateTimeOffset? ResolvedTo { get; set; }

    /// <summary>A key of <see cref="DiscoverState.RefreshChoices"/>.</summary>
    [Parameter]
    public string Refresh { get; set; } = "";

    [Parameter]
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>The server's field errors; those on <c>from</c> and <c>to</c> are shown here.</summary>
    [Parameter]
    public IReadOnlyDictionary<string, string[]> ServerErrors { get; set; } = new Dictionary<string, string[]>();

    [Parameter]
    public EventCallback<(string From, string To)> OnRangeChanged { get; set; }

    [Parameter]
    public EventCallback<string> OnRefreshChanged { get; set; }

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private IEnumerable<string> FromErrors => _fromError is { } e ? [e] : ServerErrors.GetValueOrDefault("from") ?? [];

    private IEnumerable<string> ToErrors => _toError is { } e ? [e] : ServerErrors.GetValueOrDefault("to") ?? [];

    private string QuickKey
    {
        get
        {
            for (var i = 0; i < LogTimeRange.QuickRanges.Count; i++)
            {
                if (LogTimeRange.QuickRanges[i].From == From && LogTimeRange.QuickRanges[i].To == To)
                {
                    return i.ToString(CultureInfo.InvariantCulture);
                }
            }

            return "";
        }
    }

    /// <summary>
    /// The range typed, checked against <paramref name="now"/>: texts for the URL (a local time made absolute UTC), or
    /// the error of each input that is wrong.
    /// </summary>
    internal static (string From, string To, string? FromError, string? ToError) Check(string from, string to, DateTimeOffset now, TimeZoneInfo zone)
    {
        var fromText = LogTimeFormat.NormalizeTyped(from, zone);
        var toText = LogTimeFormat.NormalizeTyped(to, zone);
        LogTimeRange.TryParse(fromText, now, roundUp: false, out var fromValue, out var fromError);
        LogTimeRange.TryParse(toText, now, roundUp: true, out var toValue, out var toError);
        if (fromError is null && toError is null && fromValue >= toValue)
        {
            toError = $"must be after from ({LogTimeFormat.Full(fromValue, zone)}).";
        }

        return (fromText, toText, fromError, toError);
    }

    protected override void OnParametersSet()
    {
        if (_shown != (From, To))
        {
            _shown = (From, To);
            (_from, _to, _fromError, _toError) = (From, To, null, null);
        }
    }

    private async Task OnQuickAsync(ChangeEventArgs e)
    {
        if (int.TryParse(e.Value?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < LogTimeRange.QuickRanges.Count)
        {
            var range = LogTimeRange.QuickRanges[i];
            (_from, _to, _fromError, _toError) = (range.From, range.To, null, null);
            await OnRangeChanged.InvokeAsync((range.From, range.To));
        }
    }

    private async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            await ApplyAsync();
        }
    }

    private async Task ApplyAsync()
    {
        var (from, to, fromError, toError) = Check(_from, _to, Clock.GetUtcNow(), TimeZone);
        (_fromError, _toError) = (fromError, toError);
        if (fromError is null && toError is null)
        {
            (_from, _to) = (from, to);
            await OnRangeChanged.InvokeAsync((from, to));
        }
    }

    private Task OnRefreshAsync(ChangeEventArgs e) => OnRefreshChanged.InvokeAsync(e.Value?.ToString() ?? "");
}
