using System.Text.Json.Nodes;
using Portal.Core.Logs;
using Portal.Web.Api;
using Portal.Web.SignIn;

namespace Portal.Web.Features.Logs;

/// <summary>
/// <c>/api/v1/logs</c>: search (hits, total, histogram, field sidebar), fields, a hit's surrounding documents, saved
/// searches and CSV export. Environments are narrowed to those whose logs the caller may read, on the server.
/// </summary>
internal static class LogsApi
{
    public static RouteGroupBuilder MapLogsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/logs").WithTags("Logs");

        group.MapPost("/search", (HttpContext http, LogSearchService logs) => ApiBody.HandleAsync<LogSearchBody>(http.Request, async body =>
            ApiResults.From(await logs.SearchAsync(http.User.ToPortalPrincipal(), body.ToInput(), http.RequestAborted),
                r => Results.Ok(LogSearchDto.Of(r, body.Columns)))))
            .Accepts<LogSearchBody>("application/json")
            .Produces<LogSearchDto>()
            .ProducesValidationProblem()
            .WithSummary("KQL search over a time range (from/to as ISO 8601 or now-15m): a page of hits newest first, the total, " +
                "the histogram and the field sidebar from the newest hits. Page on with searchAfter = nextCursor.");

        group.MapGet("/fields", async (string? environment, HttpContext http, LogSearchService logs) =>
            ApiResults.From(await logs.FieldsAsync(http.User.ToPortalPrincipal(), environment, http.RequestAborted), f => Results.Ok(f)))
            .Produces<IReadOnlyList<LogField>>()
            .WithSummary("Every field the environment's (or all readable environments') documents carry, with its type.");

        group.MapPost("/surrounding", (HttpContext http, LogSearchService logs) => ApiBody.HandleAsync<SurroundingBody>(http.Request, async body =>
        {
            if (body.Environment is null || body.Hit?.Cursor is null || body.Hit.Source is null)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["hit"] = ["environment and a hit (id, timestamp, cursor, source) from a search are required"] });
            }

            var anchor = new LogHit(body.Hit.Id ?? "", body.Hit.Timestamp, body.Environment, body.Hit.Source, body.Hit.Cursor);
            return ApiResults.From(await logs.SurroundingAsync(http.User.ToPortalPrincipal(), body.Environment, anchor, body.Count ?? 10, http.RequestAborted),
                s => Results.Ok(s));
        }))
            .Accepts<SurroundingBody>("application/json")
            .Produces<LogSurrounding>()
            .WithSummary("The lines the same pod and container logged just before and after a hit.");

        group.MapGet("/saved", async (HttpContext http, SavedSearchService saved) =>
            Results.Ok(await saved.ListAsync(http.User.ToPortalPrincipal(), http.RequestAborted)))
            .Produces<IReadOnlyList<SavedSearch>>()
            .WithSummary("Your saved searches and those shared with environments whose logs you may read.");

        group.MapPost("/saved", (HttpContext http, SavedSearchService saved) => ApiBody.HandleAsync<SaveSearchRequest>(http.Request, async body =>
            ApiResults.From(await saved.SaveAsync(ActorContexts.From(http, "api"), body, http.RequestAborted),
                s => Results.Created($"/api/v1/logs/saved/{s.Id}", s))))
            .Accepts<SaveSearchRequest>("application/json")
            .Produces<SavedSearch>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .WithSummary("Save a search (query, range, environment, columns, filters): private, or shared with an environment.");

        group.MapDelete("/saved/{id:guid}", async (Guid id, HttpContext http, SavedSearchService saved) =>
            ApiResults.From(await saved.DeleteAsync(ActorContexts.From(http, "api"), id, http.RequestAborted), _ => Results.NoContent()))
            .WithSummary("Delete one of your saved searches.");

        group.MapGet("/export.csv", LogExport.WriteAsync)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .WithSummary("The search of the Discover URL (q, from, to, env, cols, f) as CSV, newest first, up to Logs:ExportLimit rows; " +
                "X-Portal-Export-Capped: true when cut.");
        return api;
    }
}

public sealed record LogSearchBody
{
    public string? Query { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Environment { get; init; }

    public int? Size { get; init; }

    /// <summary>Fields to return flattened per hit (as <c>fields</c>), besides the whole source.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    public string? SearchAfter { get; init; }

    public IReadOnlyList<LogFilter>? Filters { get; init; }

    public LogOrder? Order { get; init; }

    public bool? Histogram { get; init; }

    public LogSearchInput ToInput() => new()
    {
        Query = Query,
        From = From,
        To = To,
        Environment = Environment,
        Size = Size,
        SearchAfter = SearchAfter,
        Filters = Filters,
        Order = Order ?? LogOrder.NewestFirst,
        Histogram = Histogram ?? SearchAfter is null,
    };
}

public sealed record SurroundingBody(string? Environment, LogHitDto? Hit, int? Count);

public sealed record LogHitDto(string? Id, DateTimeOffset Timestamp, string? Environment, JsonObject? Source, string? Cursor,
    IReadOnlyDictionary<string, string?>? Fields = null)
{
    public static LogHitDto From(LogHit hit, IReadOnlyList<string>? columns) => new(hit.Id, hit.Timestamp, hit.Environment, hit.Source, hit.Cursor,
        columns is { Count: > 0 } ? columns.ToDictionary(c => c, c => LogDocumentFields.Display(LogDocumentFields.Get(hit.Source, c)), StringComparer.Ordinal) : null);
}

public sealed record LogSearchDto(
    IReadOnlyList<LogHitDto> Hits,
    long Total,
    DateTimeOffset From,
    DateTimeOffset To,
    double? IntervalSeconds,
    IReadOnlyList<LogHistogramBucket> Histogram,
    IReadOnlyList<LogFieldSummary> Fields,
    int SampleSize,
    IReadOnlyList<string> Environments,
    string? NextCursor)
{
    public static LogSearchDto Of(LogSearchResponse r, IReadOnlyList<string>? columns) => new(
        [.. r.Hits.Select(h => LogHitDto.From(h, columns))], r.Total, r.From, r.To, r.Interval?.TotalSeconds, r.Histogram, r.Fields, r.SampleSize,
        r.Environments, r.NextCursor);
}
