using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Core.Logs.Kql;
using Portal.Core.Validation;

namespace Portal.Core.Logs;

/// <summary>
/// Log search for people: parses and validates what they typed, narrows it to the environments whose logs they may
/// read (<see cref="Permissions.LogsRead"/>, decided here on the server, never taken from the browser), asks the back
/// end, and adds the field sidebar computed from the newest hits, as Kibana's Discover does.
/// </summary>
public sealed class LogSearchService(ILogSearchBackend backend, IUnitOfWorkFactory units, PortalActions actions, TimeProvider clock, IOptions<LogsOptions> options)
{
    public const int MaxPageSize = 500;
    public const int DefaultPageSize = 100;

    public async Task<ActionResult<LogSearchResponse>> SearchAsync(PortalPrincipal who, LogSearchInput input, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var now = clock.GetUtcNow();
        var query = ParseQuery(input.Query, input.Filters, errors);
        var (from, to) = ParseRange(input.From, input.To, now, errors);
        var size = input.Size ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            errors.Add("size", $"must be between 1 and {MaxPageSize} (got {size})");
        }

        if (!errors.IsEmpty)
        {
            return new ActionResult<LogSearchResponse>.Invalid(errors);
        }

        var (scopes, refusal) = await ScopesAsync<LogSearchResponse>(who, input.Environment, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var sampleSize = input.SearchAfter is null && input.Histogram ? options.Value.SampleSize : 0;
        var interval = input.Histogram ? LogHistogram.IntervalFor(from, to) : (TimeSpan?)null;
        var request = new LogSearchRequest
        {
            Query = query,
            From = from,
            To = to,
            Scopes = scopes,
            Size = Math.Max(size, sampleSize),
            Order = input.Order,
            SearchAfter = input.SearchAfter,
            HistogramInterval = interval,
        };

        LogSearchResult result;
        try
        {
            result = await backend.SearchAsync(request, ct);
        }
        catch (LogBackendException ex)
        {
            return Failure<LogSearchResponse>(ex);
        }

        var page = result.Hits.Take(size).ToList();
        var sample = sampleSize > 0 ? result.Hits.Take(sampleSize).Select(h => h.Source).ToList() : [];
        return new ActionResult<LogSearchResponse>.Ok(new LogSearchResponse
        {
            Hits = page,
            Total = result.Total,
            From = from,
            To = to,
            Interval = interval,
            Histogram = result.Histogram,
            Fields = sample.Count > 0 ? LogFieldSummaries.From(sample) : [],
            SampleSize = sample.Count,
            Environments = [.. scopes.Select(s => s.Environment)],
            NextCursor = page.Count == size && result.Total > size ? page[^1].Cursor : null,
        });
    }

    /// <summary>The documents logged just before and just after <paramref name="anchor"/> by the same pod and container.</summary>
    public async Task<ActionResult<LogSurrounding>> SurroundingAsync(PortalPrincipal who, string environment, LogHit anchor, int count, CancellationToken ct)
    {
        if (count is < 1 or > MaxPageSize)
        {
            var errors = new ValidationErrors();
            errors.Add("count", $"must be between 1 and {MaxPageSize} (got {count})");
            return new ActionResult<LogSurrounding>.Invalid(errors);
        }

        var (scopes, refusal) = await ScopesAsync<LogSurrounding>(who, environment, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        KqlNode? sameSource = null;
        foreach (var field in SourceFields)
        {
            if (LogDocumentFields.Display(LogDocumentFields.Get(anchor.Source, field)) is { Length: > 0 } value)
            {
                KqlNode match = new KqlMatch(field, new KqlValue(value, Quoted: true));
                sameSource = sameSource is null ? match : new KqlAnd(sameSource, match);
            }
        }

        var window = options.Value.SurroundingWindow;
        var request = new LogSearchRequest
        {
            Query = sameSource,
            From = anchor.Timestamp - window,
            To = anchor.Timestamp + window,
            Scopes = scopes,
            Size = count,
            SearchAfter = anchor.Cursor,
        };
        try
        {
            var before = await backend.SearchAsync(request with { Order = LogOrder.NewestFirst }, ct);
            var after = await backend.SearchAsync(request with { Order = LogOrder.OldestFirst }, ct);
            return new ActionResult<LogSurrounding>.Ok(new LogSurrounding([.. before.Hits.Reverse()], anchor, after.Hits));
        }
        catch (LogBackendException ex)
        {
            return Failure<LogSurrounding>(ex);
        }
    }

    public async Task<ActionResult<IReadOnlyList<LogField>>> FieldsAsync(PortalPrincipal who, string? environment, CancellationToken ct)
    {
        var (scopes, refusal) = await ScopesAsync<IReadOnlyList<LogField>>(who, environment, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        try
        {
            return new ActionResult<IReadOnlyList<LogField>>.Ok(await backend.FieldsAsync(scopes, ct));
        }
        catch (LogBackendException ex)
        {
            return Failure<IReadOnlyList<LogField>>(ex);
        }
    }

    /// <summary>The environments whose logs <paramref name="who"/> may read, in tier order.</summary>
    public Task<IReadOnlyList<PortalEnvironment>> ReadableEnvironmentsAsync(PortalPrincipal who, CancellationToken ct) =>
        actions.AllowedEnvironmentsAsync(who, Permissions.LogsRead, ct);

    /// <summary>The fields that say which container wrote a line: a hit's surrounding documents share them.</summary>
    public static IReadOnlyList<string> SourceFields { get; } = ["kubernetes.namespace_name", "kubernetes.pod_name", "kubernetes.container_name"];

    /// <summary>The query and the filter pills as one AST; a syntax error is reported on <c>query</c> with its position.</summary>
    public static KqlNode? ParseQuery(string? text, IReadOnlyList<LogFilter>? filters, ValidationErrors errors)
    {
        KqlNode? query = null;
        try
        {
            query = KqlParser.Parse(text);
        }
        catch (KqlSyntaxException ex)
        {
            errors.Add("query", ex.Message);
        }

        foreach (var (filter, i) in (filters ?? []).Select((f, i) => (f, i)))
        {
            if (string.IsNullOrWhiteSpace(filter.Field) || filter.Field.Any(c => char.IsWhiteSpace(c) || c is ':' or '(' or ')' or '"'))
            {
                errors.Add($"filters[{i}].field", "must be a field name such as kubernetes.pod_name");
                continue;
            }

            KqlNode pill = new KqlMatch(filter.Field, new KqlValue(filter.Value ?? "", Quoted: true));
            pill = filter.Negate ? new KqlNot(pill) : pill;
            query = query is null ? pill : new KqlAnd(query, pill);
        }

        return query;
    }

    /// <summary><c>from</c> and <c>to</c> as typed (default the last 15 minutes), resolved against <paramref name="now"/>.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) ParseRange(string? fromText, string? toText, DateTimeOffset now, ValidationErrors errors)
    {
        var fromOk = LogTimeRange.TryParse(string.IsNullOrWhiteSpace(fromText) ? "now-15m" : fromText, now, roundUp: false, out var from, out var fromError);
        var toOk = LogTimeRange.TryParse(string.IsNullOrWhiteSpace(toText) ? "now" : toText, now, roundUp: true, out var to, out var toError);
        if (!fromOk)
        {
            errors.Add("from", fromError ?? "is not a time");
        }

        if (!toOk)
        {
            errors.Add("to", toError ?? "is not a time");
        }

        if (fromOk && toOk && from >= to)
        {
            errors.Add("to", $"must be after from ({from:O})");
        }

        return (from, to);
    }

    private async Task<(IReadOnlyList<LogScope> Scopes, ActionResult<T>? Refusal)> ScopesAsync<T>(PortalPrincipal who, string? environment, CancellationToken ct)
    {
        var readable = await ReadableEnvironmentsAsync(who, ct);
        if (environment is null)
        {
            return readable.Count == 0
                ? ([], new ActionResult<T>.Denied(AccessDecision.Deny(Permissions.LogsRead, null, "You may not read the logs of any environment: that needs Viewer or above on an environment.")))
                : ([.. readable.Select(e => new LogScope(e.Name, e.Namespace))], null);
        }

        if (readable.FirstOrDefault(e => e.Name == environment) is { } env)
        {
            return ([new LogScope(env.Name, env.Namespace)], null);
        }

        // Someone who may not see the environment learns nothing about it; someone who may (a Manager) is told why not.
        await using var work = units.Begin();
        var found = await work.Environments.FindAsync(environment, ct);
        var mine = who.IsAuthenticated ? await work.Bindings.ForSubjectsAsync(who.UserName, who.Groups, ct) : [];
        if (found is null || found.IsGone || !AccessDecider.Decide(who, Permissions.EnvironmentsRead, found.Ref, mine, clock.GetUtcNow()).Allowed)
        {
            return ([], new ActionResult<T>.NotFound($"Environment '{environment}'"));
        }

        return ([], new ActionResult<T>.Denied(AccessDecider.Decide(who, Permissions.LogsRead, found.Ref, mine, clock.GetUtcNow())));
    }

    private static ActionResult<T> Failure<T>(LogBackendException ex) => ex.Failure == LogBackendFailure.InvalidQuery
        ? new ActionResult<T>.Invalid(One("query", ex.Message))
        : new ActionResult<T>.Unavailable(ex.Message);

    private static ValidationErrors One(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return errors;
    }
}

/// <summary>A hit with the lines its container wrote just before (oldest first) and just after it.</summary>
public sealed record LogSurrounding(IReadOnlyList<LogHit> Before, LogHit Anchor, IReadOnlyList<LogHit> After);
