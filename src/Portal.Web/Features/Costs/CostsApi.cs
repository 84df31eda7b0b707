using System.Globalization;
using System.Text;
using Portal.Core.Costs;
using Portal.Core.Environments;
using Portal.Web.Api;
using Portal.Web.Features.Environments;
using Portal.Web.SignIn;

namespace Portal.Web.Features.Costs;

/// <summary>
/// <c>/api/v1/costs</c>, <c>/api/v1/status</c> and an environment's costs, explanation and teardown. Every table
/// answers CSV too (<c>?format=csv</c> or <c>Accept: text/csv</c>); ranges are whole UTC days, this month by default.
/// Who may see what is decided by <see cref="CostService"/> and <see cref="StatusService"/>, not here.
/// </summary>
internal static class CostsApi
{
    public static RouteGroupBuilder MapCostsApi(this RouteGroupBuilder api)
    {
        var costs = api.MapGroup("/costs").WithTags("Costs");

        costs.MapGet("", async (string? groupBy, string? from, string? to, string? team, string? table, string? format, HttpContext http, CostService service, TimeProvider clock) =>
        {
            var errors = new Dictionary<string, string[]>();
            var grouping = QueryValues.Enum<CostGrouping>(groupBy, "groupBy", "a grouping", errors) ?? CostGrouping.Environment;
            var range = CostRange.Parse(from, to, clock.GetUtcNow(), errors);
            var csv = Csv(http, format, errors);
            var daily = Table(table, errors);
            if (errors.Count > 0)
            {
                return Invalid(errors);
            }

            var summary = CostSummaryDto.Of(await service.SummaryAsync(http.User.ToPortalPrincipal(), grouping, range!.From, range.To, Blank(team), http.RequestAborted));
            return !csv ? Results.Ok(summary)
                : daily ? File($"portal-costs-daily-{Span(range)}.csv", CostCsv.Daily(summary.Days, summary.Currency))
                : File($"portal-costs-by-{grouping.ToString().ToLowerInvariant()}-{Span(range)}.csv", CostCsv.Summary(summary));
        })
            .Produces<CostSummaryDto>()
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem()
            .WithSummary("Costs of the environments you may see, grouped by environment, service (environment/service) or team, per day and in total, " +
                "with month-to-date, forecast and budget. from/to: YYYY-MM-DD (UTC days, both included; default this month), at most 400 days. " +
                "team: only environments that team owns. format=csv (or Accept: text/csv) exports the rows, or the days with table=daily.");

        costs.MapGet("/idle", async (string? format, HttpContext http, StatusService status) =>
        {
            var errors = new Dictionary<string, string[]>();
            var csv = Csv(http, format, errors);
            if (errors.Count > 0)
            {
                return Invalid(errors);
            }

            var rows = (await status.IdleAsync(http.User.ToPortalPrincipal(), http.RequestAborted)).Select(i => IdleEnvironmentDto.Of(i.Environment, i.Verdict, i.Month)).ToList();
            return csv ? File("portal-idle-environments.csv", CostCsv.Idle(rows)) : Results.Ok(rows);
        })
            .Produces<List<IdleEnvironmentDto>>()
            .ProducesValidationProblem()
            .WithSummary("The idle environments you may see (no deploy for Costs:IdleAfterDays days and CPU use below " +
                "Costs:IdleCpuUsageShare of its requests), longest idle first, and why.");

        costs.MapGet("/notices", async (string? month, string? format, HttpContext http, CostService service) =>
        {
            var errors = new Dictionary<string, string[]>();
            if (!string.IsNullOrWhiteSpace(month) && !DateOnly.TryParseExact(month + "-01", CostRange.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                errors["month"] = [$"'{month}' is not a month (use YYYY-MM, e.g. 2026-11)"];
            }

            var csv = Csv(http, format, errors);
            if (errors.Count > 0)
            {
                return Invalid(errors);
            }

            var notices = await service.NoticesAsync(http.User.ToPortalPrincipal(), Blank(month), http.RequestAborted);
            return csv ? File($"portal-budget-notices{(Blank(month) is { } m ? "-" + m : "")}.csv", CostCsv.Notices(notices)) : Results.Ok(notices);
        })
            .Produces<List<BudgetNotice>>()
            .ProducesValidationProblem()
            .WithSummary("Budget notices (80 % and 100 % of a month's budget, actual or forecast) of environments you may see and of their teams. month: YYYY-MM; all months when left out.");

        costs.MapGet("/budgets/teams", async (string? format, HttpContext http, CostService service) =>
        {
            var errors = new Dictionary<string, string[]>();
            var csv = Csv(http, format, errors);
            if (errors.Count > 0)
            {
                return Invalid(errors);
            }

            var budgets = await service.TeamBudgetsAsync(http.User.ToPortalPrincipal(), http.RequestAborted);
            return csv ? File("portal-team-budgets.csv", CostCsv.TeamBudgets(budgets)) : Results.Ok(budgets);
        })
            .Produces<List<TeamBudget>>()
            .ProducesValidationProblem()
            .WithSummary("Every team's monthly budget.");

        costs.MapPut("/budgets/teams/{team}", (string team, HttpContext http, CostService service) => ApiBody.HandleAsync<TeamBudgetBody>(http.Request, async body =>
            body.MonthlyBudget is not { } budget
                ? Invalid(new Dictionary<string, string[]> { ["monthlyBudget"] = ["is required"] })
                : ApiResults.From(await service.SetTeamBudgetAsync(ActorContexts.From(http, "api"), team, budget, body.ExpectedVersion, http.RequestAborted), b => Results.Ok(b))))
            .Accepts<TeamBudgetBody>("application/json")
            .Produces<TeamBudget>()
            .ProducesValidationProblem()
            .WithSummary("Set a team's monthly budget (0 removes it); expectedVersion refuses a change made meanwhile (409). Needs costs.manage (Manager, PortalAdmin). Audited.");

        api.MapGet("/environments/{env}/costs", async (string env, string? from, string? to, string? table, string? format, HttpContext http, CostService service, TimeProvider clock) =>
        {
            var errors = new Dictionary<string, string[]>();
            var range = CostRange.Parse(from, to, clock.GetUtcNow(), errors);
            var csv = Csv(http, format, errors);
            var daily = Table(table, errors);
            if (errors.Count > 0)
            {
                return Invalid(errors);
            }

            var report = await service.EnvironmentAsync(http.User.ToPortalPrincipal(), env, range!.From, range.To, http.RequestAborted);
            if (report is null)
            {
                return ApiResults.NotFound($"Environment '{env}'");
            }

            var dto = EnvironmentCostsDto.Of(report);
            return !csv ? Results.Ok(dto)
                : daily ? File($"portal-costs-{env}-daily-{Span(range)}.csv", CostCsv.Daily(dto.Days, dto.Currency))
                : File($"portal-costs-{env}-{Span(range)}.csv", CostCsv.Services(dto));
        })
            .WithTags("Costs")
            .Produces<EnvironmentCostsDto>()
            .ProducesValidationProblem()
            .WithSummary("An environment's costs per day (by service and by resource) and per service, with month-to-date, forecast, budget and " +
                "the change from last month. from/to as for /costs. format=csv exports the services, or the days with table=daily.");

        api.MapGet("/environments/{env}/costs/explain", async (string env, string? from, string? to, string? service, string? resource, string? format,
            HttpContext http, CostService costService, TimeProvider clock) =>
        {
            var errors = new Dictionary<string, string[]>();
            var range = CostRange.Parse(from, to, clock.GetUtcNow(), errors, CostRange.MaxExplainDays);
            var parsedResource = QueryValues.Enum<CostResource>(resource, "resource", "a resource", errors);
            var csv = Csv(http, format, errors);
            if (errors.Count > 0)
            {
                return Invalid(errors);
            }

            var (start, end) = range!.Instants();
            var explanation = await costService.ExplainAsync(http.User.ToPortalPrincipal(), env, start, end, Blank(service), parsedResource, http.RequestAborted);
            if (explanation is null)
            {
                return ApiResults.NotFound($"Environment '{env}'");
            }

            return csv ? File($"portal-costs-{env}-records-{Span(range!)}.csv", CostCsv.Records(explanation)) : Results.Ok(explanation);
        })
            .WithTags("Costs")
            .Produces<CostExplanation>()
            .ProducesValidationProblem()
            .WithSummary("How a figure was computed: the hourly records behind it (pods, volumes, network, shared; hours, requests, usage, allocation, " +
                "prices and cost) and, when idle is shared, the environment's share of each cluster-hour's idle. At most 31 days; service and resource " +
                "(Cpu, Memory, Storage, Network, Shared, Idle) narrow it.");

        api.MapGet("/status", async (string? format, HttpContext http, StatusService status) =>
        {
            var errors = new Dictionary<string, string[]>();
            var csv = Csv(http, format, errors);
            if (errors.Count > 0)
            {
                return Invalid(errors);
            }

            var rows = (await status.OverviewAsync(http.User.ToPortalPrincipal(), http.RequestAborted)).Select(StatusRowDto.Of).ToList();
            return csv ? File("portal-status.csv", CostCsv.Status(rows)) : Results.Ok(rows);
        })
            .WithTags("Costs")
            .Produces<List<StatusRowDto>>()
            .ProducesValidationProblem()
            .WithSummary("One row per environment you may see: tier, owner, health (pods ready of desired, alarms in ALARM), last deploy, " +
                "month-to-date and forecast against budget (without costs.read: null), time left, idle.");

        api.MapPost("/environments/{env}/teardown", (string env, HttpContext http, EnvironmentService environments) => ApiBody.HandleAsync<TeardownBody>(http.Request, async body =>
            body.At is not { } at
                ? Invalid(new Dictionary<string, string[]> { ["at"] = ["is required (ISO 8601, e.g. 2026-11-29T09:00:00Z)"] })
                : ApiResults.From(await environments.ScheduleTeardownAsync(ActorContexts.From(http, "api"), env, at, http.RequestAborted), e => Results.Ok(EnvironmentDto.From(e)))))
            .WithTags("Costs")
            .Accepts<TeardownBody>("application/json")
            .Produces<EnvironmentDto>()
            .ProducesValidationProblem()
            .WithSummary("Schedule the environment's teardown: it expires at `at` (ahead, at most 90 days) and the expiry sweep destroys it " +
                "through the provisioning job. Needs environments.destroy; refused on protected tiers (destroy them with a second person instead). Audited.");
        return api;
    }

    /// <summary>CSV when format=csv, or when no format is given and the client accepts text/csv (and not JSON first).</summary>
    private static bool Csv(HttpContext http, string? format, Dictionary<string, string[]> errors)
    {
        switch (format?.Trim().ToLowerInvariant())
        {
            case "csv":
                return true;
            case "json":
                return false;
            case null or "":
                return http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
            default:
                errors["format"] = ["must be json or csv"];
                return false;
        }
    }

    /// <summary>Which table a CSV export holds: the rows (default) or the days.</summary>
    private static bool Table(string? table, Dictionary<string, string[]> errors)
    {
        switch (table?.Trim().ToLowerInvariant())
        {
            case null or "" or "rows" or "services":
                return false;
            case "daily":
                return true;
            default:
                errors["table"] = ["must be rows or daily"];
                return false;
        }
    }

    private static IResult File(string name, string csv) =>
        Results.File(new UTF8Encoding(false).GetBytes(csv), "text/csv; charset=utf-8", name);

    private static IResult Invalid(Dictionary<string, string[]> errors) => Results.ValidationProblem(errors, title: "The request is not valid.");

    private static string Span(CostRange range) => $"{CostRange.Format(range.From)}-to-{CostRange.Format(range.To)}";

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
