using Microsoft.AspNetCore.Components;
using Portal.Core.Actions;
using Portal.Core.Alarms;
using Portal.Web.Features.Deployments;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// The triage actions of <see cref="AlarmService"/>, each decided and audited on the server: the outcome is shown
/// here (done, the field errors under their fields, or why it was refused), and the page reloads on success. What
/// the fields hold is taken from the alarm again only when its triage changed, so a live refresh keeps what is typed.
/// </summary>
public sealed partial class AlarmTriagePanel
{
    private static readonly (string Label, TimeSpan Span)[] QuickSnoozes =
    [
        ("1 hour", TimeSpan.FromHours(1)),
        ("4 hours", TimeSpan.FromHours(4)),
        ("24 hours", TimeSpan.FromHours(24)),
    ];

    private (string Name, int Version)? _shown;
    private string _assignee = "";
    private DateTime? _snoozeUntil;
    private string _runbook = "";
    private IDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private string? _unplaced;
    private string? _done;
    private ActionProblem? _problem;
    private bool _busy;

    [Parameter, EditorRequired]
    public AlarmView View { get; set; } = default!;

    /// <summary>Whether to offer the actions at all (the server decides again on each).</summary>
    [Parameter]
    public bool MayTriage { get; set; }

    [Parameter]
    public string? DeniedReason { get; set; }

    /// <summary>After a change that succeeded: the page reads the alarm again.</summary>
    [Parameter]
    public EventCallback OnChanged { get; set; }

    [Inject]
    private AlarmService Alarms { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected override void OnParametersSet()
    {
        var key = (View.Name, View.Triage.Version);
        if (_shown == key)
        {
            return;
        }

        _shown = key;
        _assignee = View.Triage.Assignee ?? "";
        _runbook = View.Triage.RunbookUrl ?? "";
        _snoozeUntil = AlarmFormat.LocalInput(View.Triage.SnoozedUntil is { } until && View.IsSnoozed ? until : Clock.GetUtcNow().AddHours(1));
    }

    private IReadOnlyList<string> ErrorsFor(string field) => _errors.TryGetValue(field, out var messages) ? messages : [];

    private Task AcknowledgeAsync() =>
        RunAsync("acknowledge the alarm", (actor, ct) => Alarms.AcknowledgeAsync(actor, View.Name, ct), "Acknowledged: the alarm is yours.");

    private Task AssignAsync() =>
        RunAsync("assign the alarm", (actor, ct) => Alarms.AssignAsync(actor, View.Name, _assignee, ct),
            string.IsNullOrWhiteSpace(_assignee) ? "Unassigned." : $"Assigned to {_assignee.Trim()}.");

    private Task UnassignAsync() => RunAsync("unassign the alarm", (actor, ct) => Alarms.AssignAsync(actor, View.Name, null, ct), "Unassigned.");

    private Task SnoozeAsync() => Snooze(AlarmFormat.FromLocalInput(_snoozeUntil));

    private Task SnoozeForAsync(TimeSpan span) => Snooze(Clock.GetUtcNow() + span);

    private Task Snooze(DateTimeOffset? until) =>
        RunAsync("snooze the alarm", (actor, ct) => Alarms.SnoozeAsync(actor, View.Name, until, ct),
            until is { } u ? $"Snoozed until {AlarmFormat.Time(u)} UTC." : "Snoozed.");

    private Task UnsnoozeAsync() => RunAsync("unsnooze the alarm", (actor, ct) => Alarms.UnsnoozeAsync(actor, View.Name, ct), "Snooze ended.");

    private Task SaveRunbookAsync() =>
        RunAsync("link the runbook", (actor, ct) => Alarms.SetRunbookAsync(actor, View.Name, _runbook, ct),
            string.IsNullOrWhiteSpace(_runbook) ? "Runbook link removed." : "Runbook linked.");

    private Task RemoveRunbookAsync() =>
        RunAsync("remove the runbook link", (actor, ct) => Alarms.SetRunbookAsync(actor, View.Name, null, ct), "Runbook link removed.");

    private async Task RunAsync(string what, Func<ActorContext, CancellationToken, Task<ActionResult<AlarmTriage>>> action, string done)
    {
        _busy = true;
        ShowErrors(new Dictionary<string, string[]>());
        _problem = null;
        _done = null;
        try
        {
            var result = await action(await User.ActorAsync(), CancellationToken.None);
            switch (result)
            {
                case ActionResult<AlarmTriage>.Ok:
                    _done = done;
                    await OnChanged.InvokeAsync();
                    break;
                case ActionResult<AlarmTriage>.Invalid invalid:
                    ShowErrors(invalid.Errors.ToDictionary());
                    break;
                default:
                    _problem = ActionProblem.From(result, what);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _problem = new ActionProblem("failed", $"Could not {what}", ex.Message);
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Errors under their fields; those of no field on this panel as one line.</summary>
    private void ShowErrors(IDictionary<string, string[]> errors)
    {
        _errors = errors;
        var unplaced = errors.Where(e => e.Key is not ("assignee" or "until" or "url")).SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")).ToList();
        _unplaced = unplaced.Count == 0 ? null : string.Join(" ", unplaced);
    }
}
