using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Validation;

namespace Portal.Core.Alarms;

/// <summary>What people filter an environment's trail by; every field optional.</summary>
public sealed record TrailFilter
{
    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public string? Username { get; init; }

    public string? EventName { get; init; }

    public string? ResourceName { get; init; }

    public bool? ReadOnly { get; init; }

    public int Limit { get; init; } = 50;

    public string? NextToken { get; init; }
}

/// <summary>
/// An environment's infrastructure changes, for those who may read its audit trail (<see cref="Permissions.AuditRead"/>).
/// CloudTrail's <c>LookupEvents</c> takes one lookup attribute: the first filter set (user, event name, resource,
/// read-only) is sent as that attribute, and the others are applied to the page it returns, as the CloudTrail console does.
/// </summary>
public sealed class ChangeTrailService(IChangeTrail trail, PortalActions actions, IUnitOfWorkFactory units, TimeProvider clock)
{
    public const int MaxLimit = 200;
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);

    /// <summary>CloudTrail keeps management events for 90 days.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(90);

    public async Task<ActionResult<TrailPage>> LookupAsync(PortalPrincipal who, string environment, TrailFilter filter, CancellationToken ct)
    {
        Environments.PortalEnvironment? env;
        await using (var work = units.Begin())
        {
            env = await work.Environments.FindAsync(environment, ct);
        }

        if (env is null || env.IsGone || !(await actions.CheckAsync(who, Permissions.EnvironmentsRead, env.Ref, ct)).Allowed)
        {
            return new ActionResult<TrailPage>.NotFound($"Environment '{environment}'");
        }

        var decision = await actions.CheckAsync(who, Permissions.AuditRead, env.Ref, ct);
        if (!decision.Allowed)
        {
            return new ActionResult<TrailPage>.Denied(decision);
        }

        var now = clock.GetUtcNow();
        var to = filter.To ?? now;
        var from = filter.From ?? to - DefaultRange;
        var errors = new ValidationErrors();
        if (from >= to)
        {
            errors.Add("from", "must be before to");
        }

        if (from < now - MaxAge)
        {
            errors.Add("from", "must be within the last 90 days (CloudTrail keeps management events for 90 days)");
        }

        if (filter.Limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"must be between 1 and {MaxLimit} (got {filter.Limit})");
        }

        if (!errors.IsEmpty)
        {
            return new ActionResult<TrailPage>.Invalid(errors);
        }

        var attributes = Attributes(filter);
        try
        {
            var page = await trail.LookupAsync(environment, new TrailQuery
            {
                From = from,
                To = to,
                Attribute = attributes.FirstOrDefault(),
                Limit = filter.Limit,
                NextToken = filter.NextToken,
            }, ct);
            var rest = attributes.Skip(1).ToList();
            return new ActionResult<TrailPage>.Ok(page with { Events = [.. page.Events.Where(e => rest.All(a => Matches(e, a)))] });
        }
        catch (AlarmSourceException ex) when (ex.Failure == AwsFailure.InvalidRequest && filter.NextToken is not null)
        {
            errors.Add("nextToken", "is not a token this trail gave, or it has expired; start again from the first page");
            return new ActionResult<TrailPage>.Invalid(errors);
        }
        catch (AlarmSourceException ex)
        {
            return new ActionResult<TrailPage>.Unavailable(ex.Message);
        }
    }

    /// <summary>The filters as CloudTrail lookup attributes, in the order the first one is chosen.</summary>
    public static IReadOnlyList<TrailAttribute> Attributes(TrailFilter filter)
    {
        var list = new List<TrailAttribute>();
        if (!string.IsNullOrWhiteSpace(filter.Username))
        {
            list.Add(new(TrailAttributeKey.Username, filter.Username.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(filter.EventName))
        {
            list.Add(new(TrailAttributeKey.EventName, filter.EventName.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(filter.ResourceName))
        {
            list.Add(new(TrailAttributeKey.ResourceName, filter.ResourceName.Trim()));
        }

        if (filter.ReadOnly is { } readOnly)
        {
            list.Add(new(TrailAttributeKey.ReadOnly, readOnly ? "true" : "false"));
        }

        return list;
    }

    /// <summary>CloudTrail's own matching of a lookup attribute: exact, case-sensitive values.</summary>
    public static bool Matches(TrailEvent e, TrailAttribute attribute) => attribute.Key switch
    {
        TrailAttributeKey.Username => e.Username == attribute.Value,
        TrailAttributeKey.EventName => e.EventName == attribute.Value,
        TrailAttributeKey.ResourceName => e.Resources.Any(r => r.Name == attribute.Value),
        TrailAttributeKey.ResourceType => e.Resources.Any(r => r.Type == attribute.Value),
        TrailAttributeKey.ReadOnly => e.ReadOnly == (attribute.Value == "true"),
        TrailAttributeKey.EventSource => e.EventSource == attribute.Value,
        TrailAttributeKey.EventId => e.Id == attribute.Value,
        _ => true,
    };
}
