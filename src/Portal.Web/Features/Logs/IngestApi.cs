using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Portal.Core.Logs;
using Portal.Core.Tokens;
using Portal.Logs.Ingest;
using Portal.Web.Hosting;

namespace Portal.Web.Features.Logs;

/// <summary>
/// <c>/ingest</c>: enough of Elasticsearch's API for a log shipper's <c>es</c> output (Fluent Bit, Fluentd, Vector) to
/// write into the embedded store: <c>GET /</c> (version), <c>GET /_cluster/health</c>, and <c>_bulk</c> with gzip.
/// It accepts only ingest tokens (<c>tokens create --ingest</c>), as Bearer, as the password of basic auth, or as
/// <c>ApiKey</c>; a personal token or a session is refused. Batches are not audited one by one (a shipper sends
/// thousands a day); the token's creation is.
/// </summary>
internal static class IngestApi
{
    private const string Prefix = "/ingest";

    public static WebApplication MapIngestApi(this WebApplication app)
    {
        var group = app.MapGroup(Prefix).AllowAnonymous().WithTags("Ingest")
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                http.Response.Headers["X-Elastic-Product"] = "Elasticsearch";   // clients of ES 7.14+ check it
                if (http.RequestServices.GetService<ILogStore>() is null)
                {
                    return Results.Json(BulkResponse.Error("illegal_state_exception",
                        "This Portal searches Elasticsearch directly (Logs:Backend is Elasticsearch): ship logs there, not to Portal.", 404), statusCode: 404);
                }

                return await TokenAsync(http) is null
                    ? Refused(http)
                    : await next(context);
            });

        group.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], () => Results.Json(RootInfo()))
            .WithSummary("Elasticsearch's root answer: shippers read the version from it.");
        group.MapGet("/_cluster/health", () => Results.Json(new JsonObject { ["cluster_name"] = "portal", ["status"] = "green" }))
            .WithSummary("Always green while Portal runs: shippers' health checks call it.");
        group.MapMethods("/_bulk", [HttpMethods.Post, HttpMethods.Put], (Func<HttpContext, Task<IResult>>)(http => BulkAsync(http, null)))
            .WithSummary("Elasticsearch _bulk NDJSON (index/create); answers took, errors and items like Elasticsearch.");
        group.MapMethods("/{index}/_bulk", [HttpMethods.Post, HttpMethods.Put], (string index, HttpContext http) => BulkAsync(http, index))
            .WithSummary("_bulk with a default index (logs-{environment}-…) for actions that name none.");
        return app;
    }

    /// <remarks>
    /// The service is asked for here, not bound as a parameter: parameters are bound before the group's filter runs,
    /// and with Elasticsearch as the back end there is no LogIngestService, only the filter's 404.
    /// </remarks>
    private static async Task<IResult> BulkAsync(HttpContext http, string? index)
    {
        var ingest = http.RequestServices.GetRequiredService<LogIngestService>();
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<BulkItem> items;
        try
        {
            await using var body = http.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(http.Request.Body, CompressionMode.Decompress, leaveOpen: true)
                : http.Request.Body;
            items = await BulkRequest.ReadAsync(body, index, http.RequestAborted);
        }
        catch (BulkFormatException ex)
        {
            return Results.Json(BulkResponse.Error("illegal_argument_exception", ex.Message, 400), statusCode: 400);
        }
        catch (InvalidDataException)
        {
            return Results.Json(BulkResponse.Error("illegal_argument_exception", "The body says Content-Encoding: gzip but is not gzip.", 400), statusCode: 400);
        }

        if (items.Count == 0)
        {
            return Results.Json(BulkResponse.Error("action_request_validation_exception", "Validation Failed: 1: no requests added;", 400), statusCode: 400);
        }

        var documents = items.Where(i => i.Error is null).Select(i => new IngestDocument(i.Index, i.Document!)).ToList();
        IReadOnlyList<IngestOutcome> outcomes;
        try
        {
            outcomes = await ingest.IngestAsync(documents, http.RequestAborted);
        }
        catch (LogBackendException ex)
        {
            // Nothing of this batch was stored: the shipper retries it whole.
            return Results.Json(BulkResponse.Error("unavailable_shards_exception", ex.Message, 503), statusCode: 503);
        }

        var perItem = new IngestOutcome?[items.Count];
        var next = 0;
        for (var i = 0; i < items.Count; i++)
        {
            perItem[i] = items[i].Error is null ? outcomes[next++] : null;
        }

        return Results.Json(BulkResponse.Create(items, perItem, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds));
    }

    /// <summary>The ingest token's name, from <c>Bearer</c>, <c>ApiKey</c> or basic auth's password.</summary>
    private static async Task<string?> TokenAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        string? value = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            value = header["Bearer ".Length..].Trim();
        }
        else if (header.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase))
        {
            value = header["ApiKey ".Length..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                value = pair[(pair.IndexOf(':', StringComparison.Ordinal) + 1)..];
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return value is null ? null : await http.RequestServices.GetRequiredService<AccessTokenService>().AuthenticateIngestAsync(value, http.RequestAborted);
    }

    /// <summary>401, or 429 once the address sent too many bad tokens (RateLimits:BadCredentialsPerAddress): a
    /// missing token is a setup mistake and not counted. Shippers back off on 429 as they do for Elasticsearch.</summary>
    private static IResult Refused(HttpContext http)
    {
        if (http.Request.Headers.Authorization.Count == 0
            || http.RequestServices.GetRequiredService<BadCredentialThrottle>().CountAndRefuse(http) is not { } after)
        {
            return Unauthorized(http);
        }

        BadCredentialThrottle.SetRetryAfter(http.Response, after);
        return Results.Json(BulkResponse.Error("es_rejected_execution_exception",
            "too many requests with an unknown ingest token from this address: wait as Retry-After says and check the token", 429), statusCode: 429);
    }

    private static IResult Unauthorized(HttpContext http)
    {
        http.Response.Headers.WWWAuthenticate = "Basic realm=\"portal-ingest\", Bearer";
        return Results.Json(BulkResponse.Error("security_exception",
            "missing or unknown ingest token: create one with 'tokens create --ingest --name NAME' and send it as Authorization: Bearer <token> (or as the basic auth password)", 401),
            statusCode: 401);
    }

    private static JsonObject RootInfo() => new()
    {
        ["name"] = "portal",
        ["cluster_name"] = "portal",
        ["version"] = new JsonObject
        {
            ["number"] = "8.11.0",
            ["build_flavor"] = "default",
            ["minimum_wire_compatibility_version"] = "7.17.0",
            ["minimum_index_compatibility_version"] = "7.0.0",
        },
        ["tagline"] = "You Know, for Search",
    };
}
