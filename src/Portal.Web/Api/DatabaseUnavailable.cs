using System.Globalization;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Persistence.Availability;

namespace Portal.Web.Api;

/// <summary>
/// Turns "the portal's database is not answering" wherever it surfaces (a page's form post, an API call, the token
/// check) into 503 with <c>Retry-After</c> — problem+json on the API — instead of a 500 with a stack trace. Runs
/// inside the developer exception page so that it sees the failure first. Nothing half is written: every change
/// and its audit record commit in one transaction, which PostgreSQL rolls back when the connection is lost.
/// Other exceptions pass through untouched.
/// </summary>
internal static class DatabaseUnavailable
{
    public const string Title = "Database unavailable";

    public const string Detail =
        "The portal's database is not answering, so nothing was changed. Portal keeps retrying; try again when it is back.";

    public static WebApplication UseDatabaseUnavailableAnswers(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (context.RequestServices.GetRequiredService<DatabaseAvailability>().ReportFailure(ex) && !context.Response.HasStarted)
            {
                await WriteAsync(context);
            }
        });
        return app;
    }

    /// <summary>The answer: 503, <c>Retry-After</c> of one probe interval, problem+json on the API and text elsewhere.</summary>
    public static async Task WriteAsync(HttpContext context)
    {
        var retryAfter = context.RequestServices.GetRequiredService<IOptions<DatabaseOptions>>().Value.AvailabilityProbeSeconds;
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        if (Portal.Web.SignIn.ApiProblems.IsApi(context.Request))
        {
            await Portal.Web.SignIn.ApiProblems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, Title, Detail);
            return;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(Detail);
    }
}
