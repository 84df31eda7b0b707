using Microsoft.AspNetCore.Components;
using Portal.Core.Actions;
using Portal.Core.Alarms;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// An environment's CloudTrail timeline through <see cref="ChangeTrailService"/> (which decides who may read it):
/// filters and range in the URL (<see cref="TrailSearch"/>), pages of <see cref="PageSize"/> events with More following
/// CloudTrail's NextToken over the same range, and each event's record on demand.
/// </summary>
public sealed partial class EnvironmentTrailPage
{
    public const int PageSize = 50;

    private TrailSearch _search = new();
    private (string Env, TrailSearch Search)? _shown;
    private List<TrailEvent> _events = [];
    private string? _nextToken;
    private DateTimeOffset _to;
    private string? _denied;
    private string? _problem;
    private bool _notFound;
    private bool _loaded;
    private bool _loading;

    [Parameter]
    public string Env { get; set; } = "";

    [SupplyParameterFromQuery(Name = "user")]
    public string? UserName { get; set; }

    [SupplyParameterFromQuery(Name = "event")]
    public string? EventName { get; set; }

    [SupplyParameterFromQuery(Name = "resource")]
    public string? Resource { get; set; }

    [SupplyParameterFromQuery(Name = "readonly")]
    public string? ReadOnly { get; set; }

    [SupplyParameterFromQuery(Name = "range")]
    public string? Range { get; set; }

    [Inject]
    private ChangeTrailService Trail { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _search = TrailSearch.Parse(UserName, EventName, Resource, ReadOnly, Range);
        if (_shown == (Env, _search))
        {
            return;
        }

        _shown = (Env, _search);
        await ReloadAsync();
    }

    /// <summary>The first page again, up to now.</summary>
    private async Task ReloadAsync()
    {
        _to = Clock.GetUtcNow();
        _events = [];
        _nextToken = null;
        await LoadAsync(null);
    }

    private Task MoreAsync() => LoadAsync(_nextToken);

    /// <summary>One page; the first replaces what is shown, a next one (same range) is added below it.</summary>
    private async Task LoadAsync(string? nextToken)
    {
        _loading = true;
        try
        {
            var result = await Trail.LookupAsync(await User.PrincipalAsync(), Env, _search.ToFilter(_to, PageSize, nextToken), CancellationToken.None);
            (_notFound, _denied, _problem) = (false, null, null);
            switch (result)
            {
                case ActionResult<TrailPage>.Ok ok:
                    _events.AddRange(ok.Value.Events);
                    _nextToken = ok.Value.NextToken;
                    break;
                case ActionResult<TrailPage>.NotFound:
                    _notFound = true;
                    break;
                case ActionResult<TrailPage>.Denied denied:
                    _denied = denied.Decision.Reason;
                    break;
                default:
                    _problem = result.Describe();
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _problem = $"Could not read the trail: {ex.Message}";
        }
        finally
        {
            _loading = false;
            _loaded = true;
        }
    }

    private void Apply(TrailSearch search) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(search.ToUrlQuery()));
}
