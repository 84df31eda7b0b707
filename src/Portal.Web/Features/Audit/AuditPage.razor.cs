using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Core.Audit;
using Portal.Web.Api;
using AuditResults = Portal.Core.Audit.AuditPage;

namespace Portal.Web.Features.Audit;

/// <summary>The audit trail the user may see: filters, server-side paging, and the same query as CSV.</summary>
public sealed partial class AuditPage
{
    public static readonly PortalFeature Feature = new(
        "audit", "Audit", "fact_check", "audit", 70,
        "Every action and every denied attempt: who, when, where, on what, and with which outcome.");

    private static readonly IReadOnlyList<AuditOutcome?> Outcomes = [.. Enum.GetValues<AuditOutcome>().Select(o => (AuditOutcome?)o)];

    private readonly AuditFilter _filter = new();
    private RadzenDataGrid<AuditRecord>? _grid;
    private AuditResults _page = new([], 0);
    private bool _loading;

    [Inject]
    private AuditService Audit { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    private string ExportUrl => QueryHelpers.AddQueryString("api/v1/audit", Query(format: "csv"));

    internal static BadgeStyle OutcomeStyle(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Succeeded => BadgeStyle.Success,
        AuditOutcome.Denied => BadgeStyle.Danger,
        AuditOutcome.Invalid => BadgeStyle.Warning,
        _ => BadgeStyle.Secondary,
    };

    protected override Task OnInitializedAsync() => LoadAsync(new LoadDataArgs { Skip = 0, Top = 50 });

    private async Task LoadAsync(LoadDataArgs args)
    {
        _loading = true;
        var page = await Audit.QueryAsync(await User.PrincipalAsync(), _filter.ToQuery(args.Skip ?? 0, args.Top ?? 50), CancellationToken.None);
        _page = page;
        _loading = false;
    }

    private async Task ApplyAsync()
    {
        if (_grid is not null)
        {
            await _grid.FirstPage(true);
        }
    }

    private Dictionary<string, string?> Query(string format) => new()
    {
        ["actor"] = _filter.Actor,
        ["environment"] = _filter.Environment,
        ["action"] = _filter.Action,
        ["outcome"] = _filter.Outcome?.ToString(),
        ["from"] = _filter.From?.ToString("o", CultureInfo.InvariantCulture),
        ["to"] = _filter.To?.ToString("o", CultureInfo.InvariantCulture),
        ["format"] = format,
    };

    private sealed class AuditFilter
    {
        public string? Actor { get; set; }

        public string? Environment { get; set; }

        public string? Action { get; set; }

        public AuditOutcome? Outcome { get; set; }

        public DateTime? From { get; set; }

        public DateTime? To { get; set; }

        public AuditQuery ToQuery(int skip, int take) => new()
        {
            Actor = Actor,
            Environment = Environment,
            Action = Action,
            Outcome = Outcome,
            From = QueryValues.AsUtc(From),
            To = QueryValues.AsUtc(To),
            Skip = skip,
            Take = take,
        };
    }
}
