using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Portal.Core.Actions;
using Portal.Core.Alarms;
using Portal.Web.Features.Deployments;

namespace Portal.Web.Features.Alarms;

/// <summary>The alarm's notes and a box to add one (<see cref="AlarmService.AddNoteAsync"/>, audited).</summary>
public sealed partial class AlarmNotesPanel
{
    private string _text = "";
    private IDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private ActionProblem? _problem;
    private bool _busy;

    [Parameter, EditorRequired]
    public string AlarmName { get; set; } = "";

    /// <summary>Oldest first.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<AlarmNote> Notes { get; set; } = [];

    /// <summary>After a note was added: the page reads the alarm again.</summary>
    [Parameter]
    public EventCallback OnChanged { get; set; }

    [Inject]
    private AlarmService Alarms { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    private async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter" && (e.CtrlKey || e.MetaKey))
        {
            await AddAsync();
        }
    }

    private async Task AddAsync()
    {
        if (_busy)
        {
            return;
        }

        _busy = true;
        _errors = new Dictionary<string, string[]>();
        _problem = null;
        try
        {
            var result = await Alarms.AddNoteAsync(await User.ActorAsync(), AlarmName, _text, CancellationToken.None);
            switch (result)
            {
                case ActionResult<AlarmNote>.Ok:
                    _text = "";
                    await OnChanged.InvokeAsync();
                    break;
                case ActionResult<AlarmNote>.Invalid invalid:
                    _errors = invalid.Errors.ToDictionary();
                    break;
                default:
                    _problem = ActionProblem.From(result, "add the note");
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _problem = new ActionProblem("failed", "Could not add the note", ex.Message);
        }
        finally
        {
            _busy = false;
        }
    }
}
