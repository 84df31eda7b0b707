using Microsoft.AspNetCore.Components;

namespace Portal.Web.Features.Alarms;

/// <summary>Edits a <see cref="TrailSearch"/>; it takes the query again only when the URL changed it.</summary>
public sealed partial class TrailFilters
{
    private TrailSearch? _shown;
    private string _user = "";
    private string _event = "";
    private string _resource = "";
    private string _readOnly = "";
    private string _range = TrailSearch.DefaultRange;

    [Parameter, EditorRequired]
    public TrailSearch Query { get; set; } = new();

    [Parameter]
    public EventCallback<TrailSearch> OnApply { get; set; }

    protected override void OnParametersSet()
    {
        if (Query == _shown)
        {
            return;
        }

        _shown = Query;
        _user = Query.Username ?? "";
        _event = Query.EventName ?? "";
        _resource = Query.ResourceName ?? "";
        _readOnly = Query.ReadOnly is { } r ? (r ? "true" : "false") : "";
        _range = Query.Range;
    }

    private Task ApplyAsync() => OnApply.InvokeAsync(TrailSearch.Parse(_user, _event, _resource, _readOnly, _range));
}
