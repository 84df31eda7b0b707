using Microsoft.AspNetCore.Components;
using Portal.Web.Api;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// The investigate view (<see cref="InvestigationService"/>): the alarm's service and environment over one window —
/// by default from a little before the alarm entered ALARM until now, or the <c>from</c>/<c>to</c> of the URL — with
/// its pods, links to its logs, and releases, jobs, pod events, CloudTrail events and error lines on one time axis.
/// The alarm is in the query (<c>investigate?alarm=dev/cart/5xx-rate</c>) because its name contains slashes.
/// </summary>
public sealed partial class InvestigatePage
{
    private string _alarmName = "";
    private (DateTimeOffset?, DateTimeOffset?) _window;
    private Investigation? _result;
    private string? _problem;
    private bool _loaded;
    private bool _loading;

    [SupplyParameterFromQuery(Name = "alarm")]
    public string? Alarm { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? To { get; set; }

    [Inject]
    private InvestigationService Investigations { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        var name = Alarm?.Trim() ?? "";
        var window = (QueryValues.Time(From, "from", null), QueryValues.Time(To, "to", null));
        if (_loaded && name == _alarmName && window == _window)
        {
            return;
        }

        (_alarmName, _window) = (name, window);
        if (name.Length > 0)
        {
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        _loading = true;
        try
        {
            _result = await Investigations.InvestigateAsync(await User.PrincipalAsync(), _alarmName, _window.Item1, _window.Item2, CancellationToken.None);
            _problem = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // What was shown stays; say why it is not newer.
            _problem = $"Could not investigate the alarm: {ex.Message}";
        }
        finally
        {
            _loading = false;
            _loaded = true;
        }
    }

    private Task ReloadAsync() => LoadAsync();

    private void ApplyWindow((DateTimeOffset From, DateTimeOffset To) window) =>
        Navigation.NavigateTo(AlarmLinks.Investigate(_alarmName, window.From, window.To));
}
