using Microsoft.AspNetCore.Components;
using Portal.Core.Logs;

namespace Portal.Web.Features.Logs;

/// <summary>
/// The filter pills under the query bar: <c>field: value</c> or <c>NOT field: value</c>, each negatable and
/// removable; a change hands the whole new list to the page, which puts it in the URL.
/// </summary>
public sealed partial class LogFilterPills
{
    [Parameter, EditorRequired]
    public IReadOnlyList<LogFilter> Filters { get; set; } = [];

    /// <summary>The server's field errors; <c>filters[i].field</c> shows on pill i.</summary>
    [Parameter]
    public IReadOnlyDictionary<string, string[]> Errors { get; set; } = new Dictionary<string, string[]>();

    [Parameter]
    public EventCallback<IReadOnlyList<LogFilter>> OnChanged { get; set; }

    private Task ToggleAsync(int index) =>
        OnChanged.InvokeAsync([.. Filters.Select((f, i) => i == index ? f with { Negate = !f.Negate } : f)]);

    private Task RemoveAsync(int index) => OnChanged.InvokeAsync([.. Filters.Where((_, i) => i != index)]);
}
