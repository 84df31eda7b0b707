using Microsoft.AspNetCore.Components;
using Portal.Core.Actions;
using Portal.Core.Costs;

namespace Portal.Web.Features.Costs;

public sealed partial class TeamBudgetEditor
{
    private readonly string _inputId = $"budget-{Guid.NewGuid():N}";
    private TeamBudget? _shown;
    private string? _team;
    private decimal? _amount;
    private bool _busy;
    private string? _error;

    /// <summary>The team; null for a form that names a new one.</summary>
    [Parameter]
    public string? Team { get; set; }

    [Parameter]
    public TeamBudget? Budget { get; set; }

    [Parameter, EditorRequired]
    public string Currency { get; set; } = "";

    [Parameter]
    public EventCallback Saved { get; set; }

    [Inject]
    private CostService Costs { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    protected override void OnParametersSet()
    {
        if (Budget != _shown || (Budget is null && _amount is null && Team is not null))
        {
            _shown = Budget;
            _amount = Budget?.MonthlyBudget ?? (Team is null ? null : 0);
        }
    }

    private async Task SaveAsync()
    {
        var team = Team ?? _team?.Trim() ?? "";
        if (_amount is not { } amount)
        {
            _error = "Enter an amount (0 removes the budget).";
            return;
        }

        _busy = true;
        _error = null;
        try
        {
            var result = await Costs.SetTeamBudgetAsync(await User.ActorAsync(), team, amount, Budget?.Version, CancellationToken.None);
            if (result.Succeeded)
            {
                _team = null;
                await Saved.InvokeAsync();
            }
            else
            {
                _error = result.Describe();
            }
        }
        finally
        {
            _busy = false;
        }
    }
}
