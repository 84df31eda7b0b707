using Microsoft.AspNetCore.Components;
using Portal.Core.Actions;
using Portal.Core.Logs;

namespace Portal.Web.Features.Logs;

/// <summary>
/// Kibana's "View surrounding documents": the <see cref="Step"/> lines before and after a hit from the same pod and
/// container (<see cref="LogSearchService.SurroundingAsync"/>), newest on top like the results, the hit highlighted;
/// each side grows or shrinks by <see cref="Step"/>.
/// </summary>
public sealed partial class SurroundingDocuments
{
    public const int Step = 10;

    private int _before = Step;
    private int _after = Step;
    private bool _loading;
    private string? _problem;
    private LogSurrounding? _result;

    [Parameter, EditorRequired]
    public LogHit Anchor { get; set; } = default!;

    [Parameter]
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    [Inject]
    private LogSearchService Search { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    private string Source => string.Join(" · ", LogSearchService.SourceFields.Select(f => LogHitText.Cell(Anchor, f)).Where(v => v.Length > 0));

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task ChangeAsync(int before, int after)
    {
        _before = Math.Clamp(_before + before, Step, LogSearchService.MaxPageSize);
        _after = Math.Clamp(_after + after, Step, LogSearchService.MaxPageSize);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _loading = true;
        try
        {
            var outcome = await Search.SurroundingAsync(await User.PrincipalAsync(), Anchor.Environment, Anchor, Math.Max(_before, _after), CancellationToken.None);
            if (outcome is ActionResult<LogSurrounding>.Ok { Value: var value })
            {
                // One call asks for the larger side; each side shows what it was asked for.
                _result = new LogSurrounding([.. value.Before.TakeLast(_before)], value.Anchor, [.. value.After.Take(_after)]);
                _problem = null;
            }
            else
            {
                _problem = $"Could not read the surrounding documents: {outcome.Describe()}";
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _problem = $"Could not read the surrounding documents: {ex.Message}";
        }
        finally
        {
            _loading = false;
        }
    }
}
