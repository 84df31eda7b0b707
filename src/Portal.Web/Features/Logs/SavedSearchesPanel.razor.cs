using Microsoft.AspNetCore.Components;
using Portal.Core.Actions;
using Portal.Core.Logs;

namespace Portal.Web.Features.Logs;

/// <summary>
/// Saved searches through <see cref="SavedSearchService"/> (each save and delete audited): the user's own and those
/// shared with an environment whose logs they may read. Opening one hands its state to the page, which puts it in the URL.
/// </summary>
public sealed partial class SavedSearchesPanel
{
    private IReadOnlyList<SavedSearch> _saved = [];
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private string _name = "";
    private string _sharedWith = "";
    private string? _problem;
    private string _me = "";
    private bool _busy;

    /// <summary>What is shown now: what Save keeps.</summary>
    [Parameter, EditorRequired]
    public DiscoverState State { get; set; } = new();

    /// <summary>The environments whose logs the user may read: the ones a search can be shared with.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<PortalEnvironment> Environments { get; set; } = [];

    [Parameter]
    public EventCallback<DiscoverState> OnOpen { get; set; }

    [Inject]
    private SavedSearchService Saved { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private DialogService Dialogs { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    internal static string Describe(SavedSearchState state) =>
        $"{(string.IsNullOrEmpty(state.Query) ? "(all documents)" : state.Query)} · {state.From} → {state.To} · {state.Environment ?? "all environments"}"
        + (state.Filters.Count > 0 ? $" · {state.Filters.Count} filter{(state.Filters.Count == 1 ? "" : "s")}" : "");

    private bool IsMine(SavedSearch saved) => string.Equals(saved.Owner, _me, StringComparison.OrdinalIgnoreCase);

    private async Task LoadAsync()
    {
        try
        {
            var who = await User.PrincipalAsync();
            _me = who.UserName;
            _saved = await Saved.ListAsync(who, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _problem = $"Could not read the saved searches: {ex.Message}";
        }
    }

    private async Task SaveAsync()
    {
        _busy = true;
        try
        {
            var request = new SaveSearchRequest { Name = _name, SharedWith = _sharedWith.Length == 0 ? null : _sharedWith, State = State.ToSaved() };
            var outcome = await Saved.SaveAsync(await User.ActorAsync(), request, CancellationToken.None);
            _errors = outcome is ActionResult<SavedSearch>.Invalid invalid ? new Dictionary<string, string[]>(invalid.Errors.ToDictionary(), StringComparer.Ordinal) : new Dictionary<string, string[]>();
            _problem = outcome switch
            {
                ActionResult<SavedSearch>.Ok => null,
                ActionResult<SavedSearch>.Invalid => Unplaced(_errors),
                ActionResult<SavedSearch>.Conflict => $"You already have a saved search named '{_name.Trim()}'.",
                _ => outcome.Describe(),
            };
            if (outcome is ActionResult<SavedSearch>.Ok { Value: var saved })
            {
                Notifications.Notify(NotificationSeverity.Success, $"Saved '{saved.Name}'.");
                _name = "";
                await LoadAsync();
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task DeleteAsync(SavedSearch saved)
    {
        var confirmed = await Dialogs.Confirm($"Delete the saved search '{saved.Name}'?", "Delete saved search",
            new ConfirmOptions { OkButtonText = "Delete", CancelButtonText = "Cancel" });
        if (confirmed != true)
        {
            return;
        }

        var outcome = await Saved.DeleteAsync(await User.ActorAsync(), saved.Id, CancellationToken.None);
        _problem = outcome.Succeeded ? null : outcome.Describe();
        await LoadAsync();
    }

    /// <summary>Errors on no input of this form (the state's query, say), as one line.</summary>
    private static string? Unplaced(IReadOnlyDictionary<string, string[]> errors)
    {
        var rest = errors.Where(e => e.Key is not ("name" or "sharedWith")).SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")).ToList();
        return rest.Count == 0 ? null : string.Join(" ", rest);
    }
}
