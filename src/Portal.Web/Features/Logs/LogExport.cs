using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Logs;
using Portal.Web.Api;
using Portal.Web.SignIn;

namespace Portal.Web.Features.Logs;

/// <summary>
/// CSV of the Discover URL's search, newest first, streamed page by page up to <see cref="LogsOptions.ExportLimit"/>
/// rows. When there are more hits than that, the response says so in <c>X-Portal-Export-Capped</c> and
/// <c>X-Portal-Export-Total</c> (the page says it before the download starts).
/// </summary>
internal static class LogExport
{
    private const int PageSize = 500;

    public static async Task<IResult> WriteAsync(HttpContext http, LogSearchService logs, IOptions<LogsOptions> options)
    {
        var state = DiscoverState.Parse(http.Request.QueryString.Value);
        IReadOnlyList<string> columns = state.Columns.Count > 0 ? state.Columns : ["log"];   // Discover's default column: the line
        var input = state.ToInput() with { Size = PageSize, Histogram = false };

        var who = http.User.ToPortalPrincipal();
        var first = await logs.SearchAsync(who, input, http.RequestAborted);
        if (first is not ActionResult<LogSearchResponse>.Ok ok)
        {
            return ApiResults.From(first, _ => Results.Empty);
        }

        var limit = options.Value.ExportLimit;
        var page = ok.Value;
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"logs-{page.To.UtcDateTime:yyyyMMdd-HHmmss}.csv\"";
        http.Response.Headers["X-Portal-Export-Total"] = page.Total.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-Portal-Export-Capped"] = page.Total > limit ? "true" : "false";

        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 64 * 1024);
        await writer.WriteLineAsync(string.Join(',', new[] { "@timestamp", "environment" }.Concat(columns).Select(c => Cell(c, formulaGuard: false))));
        var written = 0;
        while (true)
        {
            foreach (var hit in page.Hits.Take(limit - written))
            {
                var cells = new[] { hit.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), hit.Environment }
                    .Concat(columns.Select(c => LogDocumentFields.Display(LogDocumentFields.Get(hit.Source, c)) ?? ""));
                await writer.WriteLineAsync(string.Join(',', cells.Select(Cell)));
                written++;
            }

            if (written >= limit || page.NextCursor is null)
            {
                break;
            }

            var next = await logs.SearchAsync(who, input with { From = page.From.ToString("O", CultureInfo.InvariantCulture), To = page.To.ToString("O", CultureInfo.InvariantCulture), SearchAfter = page.NextCursor }, http.RequestAborted);
            if (next is not ActionResult<LogSearchResponse>.Ok more)
            {
                // Headers are gone: say it in the file rather than end it silently short.
                await writer.WriteLineAsync(Cell($"# export stopped after {written} rows: {next.Describe()}"));
                break;
            }

            page = more.Value;
        }

        await writer.FlushAsync(http.RequestAborted);
        return Results.Empty;
    }

    /// <summary>RFC 4180 quoting; a cell a spreadsheet would run as a formula is prefixed with an apostrophe.</summary>
    private static string Cell(string? value) => Cell(value, formulaGuard: true);

    private static string Cell(string? value, bool formulaGuard)
    {
        value ??= "";
        if (formulaGuard && value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
