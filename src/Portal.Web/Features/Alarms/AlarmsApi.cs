using Portal.Core.Alarms;
using Portal.Web.Api;
using Portal.Web.SignIn;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// <c>/api/v1/alarms</c>: the board with filters, one alarm with its history, metric and notes, the triage actions,
/// the investigate view; and <c>/api/v1/environments/{env}/trail</c>. An alarm's id is its name, URL-encoded (names
/// may contain <c>/</c>: <c>dev%2Fcart%2F5xx-rate</c>).
/// </summary>
internal static class AlarmsApi
{
    public static RouteGroupBuilder MapAlarmsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/alarms").WithTags("Alarms");

        group.MapGet("", async (string? state, string? environment, string? service, string? severity, string? q, bool? includeSnoozed,
            HttpContext http, AlarmService alarms) =>
        {
            var errors = new Dictionary<string, string[]>();
            var parsedState = ParseEnum<AlarmState>("state", StateFromWire(state), errors);
            var parsedSeverity = ParseEnum<AlarmSeverity>("severity", severity, errors);
            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors, title: "The request is not valid.");
            }

            var board = await alarms.BoardAsync(http.User.ToPortalPrincipal(), new AlarmFilter
            {
                State = parsedState,
                Environment = environment,
                Service = service,
                Severity = parsedSeverity,
                Text = q,
                IncludeSnoozed = includeSnoozed ?? true,
            }, http.RequestAborted);
            return Results.Ok(AlarmBoardDto.Of(board));
        })
            .Produces<AlarmBoardDto>()
            .ProducesValidationProblem()
            .WithSummary("The alarms you may see, most urgent first (state, severity, newest change), with counts. " +
                "state: OK, ALARM or INSUFFICIENT_DATA; severity: critical, high, warning, info.");

        group.MapGet("/{id}", async (string id, int? hours, HttpContext http, AlarmService alarms) =>
        {
            var lookback = TimeSpan.FromHours(Math.Clamp(hours ?? 3, 1, 24 * 14));
            var detail = await alarms.DetailAsync(http.User.ToPortalPrincipal(), Name(id), lookback, http.RequestAborted);
            return detail is null ? ApiResults.NotFound($"Alarm '{Name(id)}'") : Results.Ok(AlarmDetailDto.Of(detail));
        })
            .Produces<AlarmDetailDto>()
            .WithSummary("One alarm: state, condition in words, triage, notes, its state history and metric over the last `hours` (default 3).");

        group.MapPost("/{id}/ack", async (string id, HttpContext http, AlarmService alarms) =>
            ApiResults.From(await alarms.AcknowledgeAsync(ActorContexts.From(http, "api"), Name(id), http.RequestAborted), t => Results.Ok(AlarmTriageDto.Of(t))))
            .Produces<AlarmTriageDto>()
            .WithSummary("Acknowledge the alarm's current episode: you take it. Needs Operator on its environment.");

        group.MapPost("/{id}/assign", (string id, HttpContext http, AlarmService alarms) => ApiBody.HandleAsync<AssignBody>(http.Request, async body =>
            ApiResults.From(await alarms.AssignAsync(ActorContexts.From(http, "api"), Name(id), body.Assignee, http.RequestAborted), t => Results.Ok(AlarmTriageDto.Of(t)))))
            .Accepts<AssignBody>("application/json")
            .Produces<AlarmTriageDto>()
            .ProducesValidationProblem()
            .WithSummary("Assign the alarm to a person Portal knows (null or empty unassigns). Needs Operator.");

        group.MapPost("/{id}/notes", (string id, HttpContext http, AlarmService alarms) => ApiBody.HandleAsync<NoteBody>(http.Request, async body =>
            ApiResults.From(await alarms.AddNoteAsync(ActorContexts.From(http, "api"), Name(id), body.Text, http.RequestAborted),
                n => Results.Created($"/api/v1/alarms/{Uri.EscapeDataString(n.AlarmName)}", n))))
            .Accepts<NoteBody>("application/json")
            .Produces<AlarmNote>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .WithSummary("Add a timestamped note. Anyone who may see the alarm may.");

        group.MapPost("/{id}/snooze", (string id, HttpContext http, AlarmService alarms) => ApiBody.HandleAsync<SnoozeBody>(http.Request, async body =>
            ApiResults.From(await alarms.SnoozeAsync(ActorContexts.From(http, "api"), Name(id), body.Until, http.RequestAborted), t => Results.Ok(AlarmTriageDto.Of(t)))))
            .Accepts<SnoozeBody>("application/json")
            .Produces<AlarmTriageDto>()
            .ProducesValidationProblem()
            .WithSummary("Snooze until a time (ISO 8601, at most 7 days ahead): left out of the counts and announcements. Needs Operator.");

        group.MapDelete("/{id}/snooze", async (string id, HttpContext http, AlarmService alarms) =>
            ApiResults.From(await alarms.UnsnoozeAsync(ActorContexts.From(http, "api"), Name(id), http.RequestAborted), t => Results.Ok(AlarmTriageDto.Of(t))))
            .Produces<AlarmTriageDto>()
            .WithSummary("End a snooze now. Needs Operator.");

        group.MapPut("/{id}/runbook", (string id, HttpContext http, AlarmService alarms) => ApiBody.HandleAsync<RunbookBody>(http.Request, async body =>
            ApiResults.From(await alarms.SetRunbookAsync(ActorContexts.From(http, "api"), Name(id), body.Url, http.RequestAborted), t => Results.Ok(AlarmTriageDto.Of(t)))))
            .Accepts<RunbookBody>("application/json")
            .Produces<AlarmTriageDto>()
            .ProducesValidationProblem()
            .WithSummary("Link a runbook (http or https URL; null or empty removes it). Needs Operator.");

        group.MapGet("/{id}/investigate", async (string id, DateTimeOffset? from, DateTimeOffset? to, HttpContext http, InvestigationService investigations) =>
        {
            var found = await investigations.InvestigateAsync(http.User.ToPortalPrincipal(), Name(id), from, to, http.RequestAborted);
            return found is null ? ApiResults.NotFound($"Alarm '{Name(id)}'") : Results.Ok(InvestigationDto.Of(found));
        })
            .Produces<InvestigationDto>()
            .WithSummary("The alarm's service and environment over its window (default: 15 minutes before it entered ALARM until now): " +
                "pods, error lines, releases, jobs, pod events and CloudTrail events on one timeline.");

        api.MapGet("/environments/{env}/trail", async (string env, DateTimeOffset? from, DateTimeOffset? to, string? username, string? eventName,
            string? resourceName, bool? readOnly, int? limit, string? nextToken, HttpContext http, ChangeTrailService trail) =>
            ApiResults.From(await trail.LookupAsync(http.User.ToPortalPrincipal(), env, new TrailFilter
            {
                From = from,
                To = to,
                Username = username,
                EventName = eventName,
                ResourceName = resourceName,
                ReadOnly = readOnly,
                Limit = limit ?? 50,
                NextToken = nextToken,
            }, http.RequestAborted), page => Results.Ok(page)))
            .WithTags("Alarms")
            .Produces<TrailPage>()
            .ProducesValidationProblem()
            .WithSummary("Who changed what in the environment's infrastructure (CloudTrail management events), newest first. " +
                "The first of username, eventName, resourceName, readOnly goes to CloudTrail as its lookup attribute; the others filter the page.");
        return api;
    }

    /// <summary>The alarm name from its route segment (routing leaves an encoded <c>/</c> as <c>%2F</c>).</summary>
    private static string Name(string id) => Uri.UnescapeDataString(id);

    private static string? StateFromWire(string? state) => state?.ToUpperInvariant() switch
    {
        "OK" => nameof(AlarmState.Ok),
        "ALARM" => nameof(AlarmState.Alarm),
        "INSUFFICIENT_DATA" => nameof(AlarmState.InsufficientData),
        _ => state,
    };

    private static T? ParseEnum<T>(string field, string? value, Dictionary<string, string[]> errors)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _))
        {
            return parsed;
        }

        errors[field] = [$"'{value}' is not one of {string.Join(", ", field == "state" ? ["OK", "ALARM", "INSUFFICIENT_DATA"] : Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}"];
        return null;
    }
}

public sealed record AssignBody(string? Assignee);

public sealed record NoteBody(string? Text);

public sealed record SnoozeBody(DateTimeOffset? Until);

public sealed record RunbookBody(string? Url);
