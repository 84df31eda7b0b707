using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Core.Identity;
using Portal.Core.Validation;

namespace Portal.Core.Alarms;

/// <summary>
/// Alarms for people: the board and an alarm's page narrowed to what one may see (<see cref="Permissions.AlarmsRead"/>
/// on the alarm's environment; an alarm placed in no environment needs it organisation-wide), and the portal-side
/// triage — acknowledge, assign, snooze and the runbook need <see cref="Permissions.AlarmsAcknowledge"/>, a note needs
/// only to see the alarm — each through <see cref="PortalActions"/>, so decided on the server and audited.
/// </summary>
public sealed class AlarmService(
    IAlarmFeed feed,
    IAlarmSource source,
    IUnitOfWorkFactory units,
    PortalActions actions,
    IUserDirectory users,
    TimeProvider clock,
    IOptions<AlarmsOptions> options)
{
    public const int MaxNoteLength = 4000;
    public static readonly TimeSpan MaxSnooze = TimeSpan.FromDays(7);
    private readonly AlarmMapper _mapper = new(options.Value.Mapping);

    /// <summary>Raised after any triage change, with the alarm's name, so every open page can show it.</summary>
    public event Action<string>? TriageChanged;

    public async Task<AlarmBoard> BoardAsync(PortalPrincipal who, AlarmFilter filter, CancellationToken ct)
    {
        var snapshot = feed.Current;
        var visible = await VisibleAsync(who, snapshot.Alarms, ct);
        var counts = new AlarmCounts(
            visible.Count(v => v.NeedsAttention),
            visible.Count(v => v.NeedsAttention && !v.IsAcknowledged),
            visible.Count(v => v.State == AlarmState.InsufficientData && !v.IsSnoozed),
            visible.Count(v => v.State == AlarmState.Ok && !v.IsSnoozed),
            visible.Count(v => v.IsSnoozed));
        var listed = visible.Where(v => Matches(v, filter))
            .OrderBy(v => v.IsSnoozed)
            .ThenBy(v => StateRank(v.State))
            .ThenBy(v => v.Placement.Severity)
            .ThenByDescending(v => v.Alarm.StateChangedAt)
            .ThenBy(v => v.Name, StringComparer.Ordinal)
            .ToList();
        return new AlarmBoard(listed, counts, snapshot.ReadAt, snapshot.Problems);
    }

    /// <summary>The alarm if it exists and <paramref name="who"/> may see it; null otherwise (the two look the same).</summary>
    public async Task<AlarmView?> FindAsync(PortalPrincipal who, string name, CancellationToken ct)
    {
        var alarm = feed.Current.Alarms.FirstOrDefault(a => a.Name == name);
        return alarm is null ? null : (await VisibleAsync(who, [alarm], ct)).SingleOrDefault();
    }

    /// <summary>The alarm's page over [now - <paramref name="lookback"/>, now]; the source failing leaves history and metric empty with the reason.</summary>
    public async Task<AlarmDetail?> DetailAsync(PortalPrincipal who, string name, TimeSpan lookback, CancellationToken ct)
    {
        var view = await FindAsync(who, name, ct);
        if (view is null)
        {
            return null;
        }

        var to = clock.GetUtcNow();
        var from = to - lookback;
        IReadOnlyList<AlarmNote> notes;
        await using (var work = units.Begin())
        {
            notes = await work.AlarmTriage.NotesAsync(name, ct);
        }

        try
        {
            var history = await source.HistoryAsync(view.Alarm, from, to, ct);
            var metric = await source.MetricAsync(view.Alarm, from, to, ct);
            return new AlarmDetail(view, notes, history, metric, from, to, null);
        }
        catch (AlarmSourceException ex)
        {
            return new AlarmDetail(view, notes, [], null, from, to, ex.Message);
        }
    }

    public Task<ActionResult<AlarmTriage>> AcknowledgeAsync(ActorContext actor, string name, CancellationToken ct) =>
        TriageAsync(actor, name, Permissions.AlarmsAcknowledge, "alarms.acknowledge", new Dictionary<string, object?>(), (alarm, triage, _) =>
        {
            if (alarm.State == AlarmState.Ok)
            {
                throw new ConflictException($"Alarm '{name}' is OK: there is nothing to acknowledge.");
            }

            var now = clock.GetUtcNow();
            return Task.FromResult(triage with { AcknowledgedBy = actor.Principal.UserName, AcknowledgedAt = now, AcknowledgedEpisode = alarm.StateChangedAt });
        }, ct);

    /// <summary>Assigns to a person Portal knows, or unassigns when <paramref name="assignee"/> is empty.</summary>
    public Task<ActionResult<AlarmTriage>> AssignAsync(ActorContext actor, string name, string? assignee, CancellationToken ct) =>
        TriageAsync(actor, name, Permissions.AlarmsAcknowledge, "alarms.assign", new Dictionary<string, object?> { ["assignee"] = assignee }, async (_, triage, token) =>
        {
            if (string.IsNullOrWhiteSpace(assignee))
            {
                return triage with { Assignee = null };
            }

            var user = await users.FindAsync(assignee.Trim(), token);
            if (user is null || user.Disabled)
            {
                var errors = new ValidationErrors();
                errors.Add("assignee", $"'{assignee}' is not a person Portal knows");
                throw new ValidationFailedException(errors);
            }

            return triage with { Assignee = user.UserName };
        }, ct);

    /// <summary>Snoozes until <paramref name="until"/> (in the future, at most <see cref="MaxSnooze"/> ahead).</summary>
    public Task<ActionResult<AlarmTriage>> SnoozeAsync(ActorContext actor, string name, DateTimeOffset? until, CancellationToken ct) =>
        TriageAsync(actor, name, Permissions.AlarmsAcknowledge, "alarms.snooze", new Dictionary<string, object?> { ["until"] = until }, (_, triage, _) =>
        {
            var now = clock.GetUtcNow();
            var errors = new ValidationErrors();
            if (until is null)
            {
                errors.Add("until", "is required");
            }
            else if (until <= now)
            {
                errors.Add("until", "must be in the future");
            }
            else if (until - now > MaxSnooze)
            {
                errors.Add("until", $"must be at most {MaxSnooze.TotalDays:0} days ahead");
            }

            if (!errors.IsEmpty)
            {
                throw new ValidationFailedException(errors);
            }

            return Task.FromResult(triage with { SnoozedUntil = until, SnoozedBy = actor.Principal.UserName });
        }, ct);

    public Task<ActionResult<AlarmTriage>> UnsnoozeAsync(ActorContext actor, string name, CancellationToken ct) =>
        TriageAsync(actor, name, Permissions.AlarmsAcknowledge, "alarms.unsnooze", new Dictionary<string, object?>(), (_, triage, _) =>
            Task.FromResult(triage with { SnoozedUntil = null, SnoozedBy = null }), ct);

    /// <summary>Links a runbook (an http or https URL), or removes the link when <paramref name="url"/> is empty.</summary>
    public Task<ActionResult<AlarmTriage>> SetRunbookAsync(ActorContext actor, string name, string? url, CancellationToken ct) =>
        TriageAsync(actor, name, Permissions.AlarmsAcknowledge, "alarms.runbook", new Dictionary<string, object?> { ["url"] = url }, (_, triage, _) =>
        {
            if (string.IsNullOrWhiteSpace(url))
            {
                return Task.FromResult(triage with { RunbookUrl = null });
            }

            if (url.Length > 2000 || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                var errors = new ValidationErrors();
                errors.Add("url", "must be an absolute http or https URL of at most 2000 characters");
                throw new ValidationFailedException(errors);
            }

            return Task.FromResult(triage with { RunbookUrl = parsed.ToString() });
        }, ct);

    public async Task<ActionResult<AlarmNote>> AddNoteAsync(ActorContext actor, string name, string? text, CancellationToken ct)
    {
        var (alarm, environment) = await LocateAsync(name, ct);
        var request = new ActionRequest(Permissions.AlarmsRead, environment, name, new Dictionary<string, object?> { ["length"] = text?.Length })
        {
            Name = "alarms.note",
        };
        if (alarm is null)
        {
            return await actions.NotFoundAsync<AlarmNote>(actor, request, $"Alarm '{name}'", ct);
        }

        var result = await actions.RunAsync(actor, request, (work, _) =>
        {
            var problem = Text.Required(text?.Replace("\n", " ", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal).Replace("\t", " ", StringComparison.Ordinal), MaxNoteLength);
            if (problem is not null)
            {
                var errors = new ValidationErrors();
                errors.Add("text", problem);
                throw new ValidationFailedException(errors);
            }

            var note = new AlarmNote(Guid.NewGuid(), name, actor.Principal.UserName, clock.GetUtcNow(), text!.Trim());
            work.AlarmTriage.AddNote(note);
            return Task.FromResult(note);
        }, ct);
        if (result.Succeeded)
        {
            TriageChanged?.Invoke(name);
        }

        return result;
    }

    private async Task<ActionResult<AlarmTriage>> TriageAsync(
        ActorContext actor, string name, string permission, string action, Dictionary<string, object?> parameters,
        Func<Alarm, AlarmTriage, CancellationToken, Task<AlarmTriage>> change, CancellationToken ct)
    {
        var (alarm, environment) = await LocateAsync(name, ct);
        var request = new ActionRequest(permission, environment, name, parameters) { Name = action };
        if (alarm is null)
        {
            return await actions.NotFoundAsync<AlarmTriage>(actor, request, $"Alarm '{name}'", ct);
        }

        var result = await actions.RunAsync(actor, request, async (work, token) =>
        {
            var current = await work.AlarmTriage.FindAsync(name, token) ?? AlarmTriage.None(name);
            var changed = await change(alarm, current, token);
            work.AlarmTriage.Save(changed, current.Version);
            return changed with { Version = current.Version + 1 };
        }, ct);
        if (result.Succeeded)
        {
            TriageChanged?.Invoke(name);
        }

        return result;
    }

    /// <summary>The alarm and the environment it is placed in (as decided for authorization).</summary>
    private async Task<(Alarm? Alarm, EnvironmentRef? Environment)> LocateAsync(string name, CancellationToken ct)
    {
        var alarm = feed.Current.Alarms.FirstOrDefault(a => a.Name == name);
        if (alarm is null)
        {
            return (null, null);
        }

        IReadOnlyList<PortalEnvironment> environments;
        await using (var work = units.Begin())
        {
            environments = await work.Environments.ListAsync(ct);
        }

        var placement = _mapper.Place(alarm, [.. environments.Where(e => !e.IsGone)]);
        return (alarm, environments.FirstOrDefault(e => e.Name == placement.Environment)?.Ref);
    }

    private async Task<IReadOnlyList<AlarmView>> VisibleAsync(PortalPrincipal who, IReadOnlyList<Alarm> alarms, CancellationToken ct)
    {
        if (!who.IsAuthenticated || alarms.Count == 0)
        {
            return [];
        }

        IReadOnlyList<PortalEnvironment> environments;
        IReadOnlyList<AlarmTriage> triage;
        await using (var work = units.Begin())
        {
            environments = [.. (await work.Environments.ListAsync(ct)).Where(e => !e.IsGone)];
            triage = await work.AlarmTriage.ListAsync(ct);
        }

        var allowed = (await actions.AllowedEnvironmentsAsync(who, Permissions.AlarmsRead, ct)).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var organisationWide = (await actions.CheckAsync(who, Permissions.AlarmsRead, null, ct)).Allowed;
        var triageByName = triage.ToDictionary(t => t.AlarmName, StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        return [.. alarms
            .Select(a => new AlarmView(a, _mapper.Place(a, environments), triageByName.GetValueOrDefault(a.Name) ?? AlarmTriage.None(a.Name), now))
            .Where(v => v.Placement.Environment is { } env ? allowed.Contains(env) : organisationWide)];
    }

    private static bool Matches(AlarmView view, AlarmFilter filter) =>
        (filter.State is not { } state || view.State == state)
        && (string.IsNullOrEmpty(filter.Environment) || view.Placement.Environment == filter.Environment)
        && (string.IsNullOrEmpty(filter.Service) || view.Placement.Service == filter.Service)
        && (filter.Severity is not { } severity || view.Placement.Severity == severity)
        && (filter.IncludeSnoozed || !view.IsSnoozed)
        && (string.IsNullOrWhiteSpace(filter.Text)
            || view.Name.Contains(filter.Text.Trim(), StringComparison.OrdinalIgnoreCase)
            || (view.Placement.Service?.Contains(filter.Text.Trim(), StringComparison.OrdinalIgnoreCase) ?? false)
            || (view.Alarm.Description?.Contains(filter.Text.Trim(), StringComparison.OrdinalIgnoreCase) ?? false));

    private static int StateRank(AlarmState state) => state switch
    {
        AlarmState.Alarm => 0,
        AlarmState.InsufficientData => 1,
        _ => 2,
    };
}
