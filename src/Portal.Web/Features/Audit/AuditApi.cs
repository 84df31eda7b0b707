using System.Runtime.CompilerServices;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Web.Api;
using Portal.Web.SignIn;

namespace Portal.Web.Features.Audit;

internal static class AuditApi
{
    public const int MaxExport = 100_000;

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", async (HttpContext http, AuditService audit, string? actor, string? environment, string? action,
            string? outcome, string? from, string? to, int? skip, int? take, string? format) =>
        {
            var errors = new Dictionary<string, string[]>();
            var query = new AuditQuery
            {
                Actor = actor,
                Environment = environment,
                Action = action,
                Outcome = QueryValues.Enum<AuditOutcome>(outcome, "outcome", "an outcome", errors),
                From = QueryValues.Time(from, "from", errors),
                To = QueryValues.Time(to, "to", errors),
                Skip = skip ?? 0,
                Take = take ?? 50,
            };
            if (take is < 1 or > AuditService.MaxPageSize)
            {
                errors["take"] = [$"must be between 1 and {AuditService.MaxPageSize}"];
            }

            if (format is not (null or "json" or "csv"))
            {
                errors["format"] = ["must be json or csv"];
            }

            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors, title: "The request is not valid.");
            }

            var who = http.User.ToPortalPrincipal();
            if (format == "csv")
            {
                http.Response.ContentType = "text/csv; charset=utf-8";
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"portal-audit-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv\"";
                // Pinned to now, so records arriving during the export neither shift the pages nor repeat rows.
                var pinned = query with { To = query.To ?? DateTimeOffset.UtcNow };
                await AuditCsv.WriteAsync(http.Response.Body, AllPagesAsync(audit, who, pinned, http.RequestAborted), http.RequestAborted);
                return Results.Empty;
            }

            var page = await audit.QueryAsync(who, query, http.RequestAborted);
            return Results.Ok(page);
        })
        .WithTags("Audit")
        .Produces<AuditPage>()
        .WithSummary("The audit trail you may see, newest first; format=csv exports every matching record.");
        return api;
    }

    private static async IAsyncEnumerable<AuditRecord> AllPagesAsync(AuditService audit, PortalPrincipal who, AuditQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var skip = 0; skip < MaxExport; skip += AuditService.MaxPageSize)
        {
            var page = await audit.QueryAsync(who, query with { Skip = skip, Take = AuditService.MaxPageSize }, ct);
            foreach (var record in page.Records)
            {
                yield return record;
            }

            if (page.Records.Count < AuditService.MaxPageSize)
            {
                yield break;
            }
        }
    }


}
