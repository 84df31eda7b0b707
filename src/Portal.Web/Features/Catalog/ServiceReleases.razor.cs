using Microsoft.AspNetCore.Components;
using Portal.Core.Deployments;
using Portal.Core.Jobs;
using Portal.Web.Features.Deployments;

namespace Portal.Web.Features.Catalog;

/// <summary>
/// The release history across environments. The environment filter and the pair compared are the page's URL query,
/// so a comparison can be shared; the ticked boxes are this view's own. New releases and state changes show as they
/// happen (see <see cref="LiveRefresh"/>).
/// </summary>
public sealed partial class ServiceReleases : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    private IReadOnlyList<Release> _releases = [];
    private IReadOnlyList<string> _environments = [];
    private Dictionary<Guid, Release> _previous = [];
    private readonly List<Guid> _selected = [];
    private string? _loadedFor;
    private LiveRefresh? _live;

    [Parameter, EditorRequired]
    public string Service { get; set; } = "";

    [Parameter]
    public string? Environment { get; set; }

    [Parameter]
    public Guid? From { get; set; }

    [Parameter]
    public Guid? To { get; set; }

    [Inject]
    private DeploymentService Deployments { get; set; } = default!;

    [Inject]
    private JobEvents Jobs { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private IEnumerable<Release> Visible => string.IsNullOrEmpty(Environment) ? _releases : _releases.Where(r => r.Environment == Environment);

    private string CloseUri => Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["from"] = null, ["to"] = null });

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor != Service)
        {
            await LoadAsync();
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Only once interactive: a prerendered page is thrown away at once.
        if (firstRender)
        {
            _live = new LiveRefresh(Jobs, Clock, InvokeAsync, RefreshAsync, _ => true, () => _releases.Any(ReleaseFormat.IsLive), PollInterval, TimeSpan.FromSeconds(2));
            _live.Request();   // a release that moved between the load and the subscription
        }
    }

    public void Dispose() => _live?.Dispose();

    private async Task LoadAsync()
    {
        _releases = await Deployments.HistoryAsync(await User.PrincipalAsync(), Service, CancellationToken.None);
        _environments = [.. _releases.Select(r => r.Environment).Distinct().Order(StringComparer.Ordinal)];

        // Newest first: the previous release of one is the next one down in the same environment.
        _previous = [];
        for (var i = 0; i < _releases.Count; i++)
        {
            if (_releases.Skip(i + 1).FirstOrDefault(r => r.Environment == _releases[i].Environment) is { } previous)
            {
                _previous[_releases[i].Id] = previous;
            }
        }

        _selected.RemoveAll(id => _releases.All(r => r.Id != id));
        _loadedFor = Service;
    }

    private async Task RefreshAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    private string CompareUri(Release older, Release newer) =>
        Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["tab"] = "releases", ["from"] = older.Id.ToString(), ["to"] = newer.Id.ToString() });

    private void Toggle(Guid id, bool on)
    {
        _selected.Remove(id);
        if (on)
        {
            _selected.Add(id);
            if (_selected.Count > 2)
            {
                _selected.RemoveAt(0);   // the two ticked last are compared
            }
        }
    }

    private void CompareSelected()
    {
        var pair = _releases.Where(r => _selected.Contains(r.Id)).OrderBy(r => r.CreatedAt).ToList();
        if (pair.Count == 2)
        {
            Navigation.NavigateTo(CompareUri(pair[0], pair[1]));
        }
    }

    private void Apply(Dictionary<string, object?> query) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(query));
}
