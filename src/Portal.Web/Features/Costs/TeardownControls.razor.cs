using Microsoft.AspNetCore.Components;
using Portal.Core.Actions;
using Portal.Web.Features.Deployments;

namespace Portal.Web.Features.Costs;

/// <summary>The idle page's teardown buttons for one environment; decisions and audit are the environment service's.</summary>
public sealed partial class TeardownControls
{
    /// <summary>The default date: a week ahead, time for anyone who still needs it to say so.</summary>
    public static readonly TimeSpan DefaultAhead = TimeSpan.FromDays(7);

    private DateOnly? _day;
    private bool _busy;
    private bool _confirming;
    private string? _outcome;
    private ActionProblem? _problem;

    [Parameter, EditorRequired]
    public PortalEnvironment Environment { get; set; } = default!;

    /// <summary>After a change, so the page reads the environments again.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected override void OnInitialized() => _day = DateOnly.FromDateTime(Clock.GetUtcNow().Add(DefaultAhead).UtcDateTime);

    private Task ScheduleAsync()
    {
        // The chosen day at this time of day (UTC), so "7 days ahead" is exactly that, and today is refused as not ahead.
        var now = Clock.GetUtcNow();
        var at = new DateTimeOffset((_day ?? DateOnly.FromDateTime(now.UtcDateTime)).ToDateTime(TimeOnly.FromTimeSpan(now.UtcDateTime.TimeOfDay)), TimeSpan.Zero);
        return RunAsync("schedule the teardown", async actor => await Environments.ScheduleTeardownAsync(actor, Environment.Name, at, CancellationToken.None),
            e => $"{e.Name} will be torn down at {CostFormat.Time(e.ExpiresAt ?? at)}.");
    }

    private Task DestroyAsync() => RunAsync("tear it down", async actor => await Environments.RequestDestroyAsync(actor, Environment.Name, CancellationToken.None),
        e => e.Tier.IsProtected() ? $"Teardown of {e.Name} asked for: a second person must approve it." : $"{e.Name} is being torn down.");

    private async Task RunAsync(string what, Func<ActorContext, Task<ActionResult<PortalEnvironment>>> act, Func<PortalEnvironment, string> done)
    {
        _busy = true;
        _outcome = null;
        _problem = null;
        try
        {
            var result = await act(await User.ActorAsync());
            if (result is ActionResult<PortalEnvironment>.Ok ok)
            {
                _outcome = done(ok.Value);
                _confirming = false;
                await Changed.InvokeAsync();
            }
            else
            {
                _problem = ActionProblem.From(result, what) ?? new ActionProblem("invalid", $"Cannot {what}", result.Describe());
            }
        }
        finally
        {
            _busy = false;
        }
    }
}
