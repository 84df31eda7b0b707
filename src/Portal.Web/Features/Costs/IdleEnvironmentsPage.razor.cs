using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Costs;

namespace Portal.Web.Features.Costs;

/// <summary>
/// Which environments sit idle and why (days since the last deploy, CPU use against requests), longest idle first; where
/// the user may destroy one, its teardown can be scheduled or asked for from here.
/// </summary>
public sealed partial class IdleEnvironmentsPage
{
    private IReadOnlyList<(PortalEnvironment Environment, IdleVerdict Verdict, MonthCost? Month)> _rows = [];
    private HashSet<string> _destroyable = [];
    private string? _problem;
    private bool _loaded;

    [Inject]
    private StatusService Status { get; set; } = default!;

    [Inject]
    private PortalActions Actions { get; set; } = default!;

    [Inject]
    private IOptions<CostsOptions> Options { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            var who = await User.PrincipalAsync();
            var rows = await Status.IdleAsync(who, CancellationToken.None);
            var destroyable = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (env, _, _) in rows)
            {
                if ((await Actions.CheckAsync(who, Permissions.EnvironmentsDestroy, env.Ref, CancellationToken.None)).Allowed)
                {
                    destroyable.Add(env.Name);
                }
            }

            _rows = [.. rows.OrderByDescending(r => r.Verdict.DaysSinceDeploy).ThenBy(r => r.Environment.Name, StringComparer.Ordinal)];
            _destroyable = destroyable;
            _problem = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _problem = $"Could not read the environments: {ex.Message}";
        }

        _loaded = true;
    }
}
