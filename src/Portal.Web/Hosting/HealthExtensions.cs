using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Infrastructure;

namespace Portal.Web.Hosting;

internal static class HealthExtensions
{
    public static IHostApplicationBuilder AddPortalHealth(this IHostApplicationBuilder builder)
    {
        // Each provider adds its own check tagged InfrastructureExtensions.ReadinessTag where it is registered.
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>
    /// <c>/healthz</c>: liveness, 200 while the process serves requests, no dependency is asked.
    /// <c>/readyz</c>: 200 when every readiness check passes, else 503; both with a JSON body naming each check.
    /// </summary>
    public static WebApplication MapPortalHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = WriteJsonAsync,
        }).DisableHttpMetrics().AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(InfrastructureExtensions.ReadinessTag),
            ResponseWriter = WriteJsonAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).DisableHttpMetrics().AllowAnonymous();
        return app;
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new HealthBody(
            report.Status.ToString(),
            report.Entries.ToDictionary(e => e.Key, e => new HealthEntry(e.Value.Status.ToString(), e.Value.Description)),
            [.. report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => e.Key)]);
        return JsonSerializer.SerializeAsync(context.Response.Body, body, HealthJson.Options, context.RequestAborted);
    }

    private sealed record HealthBody(string Status, Dictionary<string, HealthEntry> Checks, string[] NotReady);

    private sealed record HealthEntry(string Status, string? Description);

    private static class HealthJson
    {
        public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
    }
}
