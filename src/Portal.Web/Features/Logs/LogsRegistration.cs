using Microsoft.Extensions.Options;
using Portal.Core.Logs;
using Portal.Infrastructure.Storage;
using Portal.Logs.Elasticsearch;
using Portal.Logs.Embedded;

namespace Portal.Web.Features.Logs;

/// <summary>
/// Section <c>Logs</c>: the search back end (the embedded SQLite store by default, or Elasticsearch/OpenSearch), its
/// retention, and, with the sandbox, the shipper that feeds the sandbox pods' lines into the embedded store.
/// </summary>
internal static class LogsRegistration
{
    /// <summary>The embedded store's health check (Elasticsearch's is <see cref="ElasticsearchLogsExtensions.HealthCheckName"/>).</summary>
    public const string EmbeddedHealthCheckName = "logs";

    public static IHostApplicationBuilder AddPortalLogs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LogsOptions>().BindConfiguration(LogsOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LogsOptions>, LogsOptionsValidator>();
        builder.Services.AddSingleton<LogMarkersService>();
        builder.Services.AddSingleton<LogBackendCondition>();
        var backend = builder.Configuration.GetValue<LogBackendKind?>($"{LogsOptions.SectionName}:{nameof(LogsOptions.Backend)}") ?? LogBackendKind.Embedded;
        if (backend == LogBackendKind.Elasticsearch)
        {
            builder.Services.AddElasticsearchLogs(builder.Configuration.GetSection($"{LogsOptions.SectionName}:Elasticsearch"));
            // No ILogStore and no LogIngestService: shippers write to Elasticsearch directly, and /ingest answers 404.
            return builder;
        }

        builder.Services.AddOptions<EmbeddedLogOptions>().BindConfiguration($"{LogsOptions.SectionName}:Embedded")
            .PostConfigure<IOptions<DataOptions>>((o, data) => o.Path = string.IsNullOrWhiteSpace(o.Path)
                ? Path.Combine(Path.GetFullPath(data.Value.Directory), "logs.db")
                : Path.GetFullPath(o.Path))
            .ValidateOnStart();
        builder.Services.AddSingleton<EmbeddedLogStore>();
        builder.Services.AddSingleton<ILogStore>(sp => sp.GetRequiredService<EmbeddedLogStore>());
        builder.Services.AddSingleton<LogIngestService>();
        builder.Services.AddSingleton<ILogSearchBackend>(sp => sp.GetRequiredService<EmbeddedLogStore>());
        builder.Services.AddHostedService<PruneLogsJob>();
        builder.Services.AddHostedService<SandboxLogShipping>();
        builder.Services.AddHealthChecks().AddCheck<EmbeddedLogHealthCheck>(EmbeddedHealthCheckName);
        return builder;
    }
}

internal sealed class LogsOptionsValidator : IValidateOptions<LogsOptions>
{
    public ValidateOptionsResult Validate(string? name, LogsOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Backend))
        {
            failures.Add($"{LogsOptions.SectionName}:Backend must be Embedded or Elasticsearch.");
        }

        if (options.SampleSize is < 1 or > LogSearchService.MaxPageSize * 20)
        {
            failures.Add($"{LogsOptions.SectionName}:SampleSize must be between 1 and {LogSearchService.MaxPageSize * 20} (got {options.SampleSize}).");
        }

        if (options.ExportLimit is < 1 or > 1_000_000)
        {
            failures.Add($"{LogsOptions.SectionName}:ExportLimit must be between 1 and 1000000 (got {options.ExportLimit}).");
        }

        if (options.SurroundingWindow <= TimeSpan.Zero)
        {
            failures.Add($"{LogsOptions.SectionName}:SurroundingWindow must be positive (got {options.SurroundingWindow}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
