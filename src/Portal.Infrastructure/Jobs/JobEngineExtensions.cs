using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Core.Jobs;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Persistence.Stores;
using Portal.Infrastructure.Storage;
using Quartz;

namespace Portal.Infrastructure.Jobs;

public static class JobEngineExtensions
{
    /// <summary>
    /// The <c>Jobs</c> section: Quartz with its persistent store — a SQLite file next to Portal's in the embedded
    /// default, Portal's PostgreSQL database with clustering in production — running Portal's jobs (docs/adr/0009).
    /// </summary>
    public static IHostApplicationBuilder AddPortalJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobEngineOptions>()
            .Bind(builder.Configuration.GetSection(JobEngineOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<JobEngineOptions>, JobEngineOptionsValidator>();

        builder.Services.AddSingleton<IJobStore, EfJobStore>();
        builder.Services.AddSingleton<JobEngineHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobEngineHost>());
        builder.Services.AddSingleton<QuartzJobDispatcher>();
        builder.Services.AddSingleton<IJobDispatcher>(sp => sp.GetRequiredService<QuartzJobDispatcher>());
        builder.Services.AddTransient<RunJobStepsJob>();
        builder.Services.AddTransient<ResumeJobsJob>();
        builder.Services.AddHealthChecks().AddCheck<JobEngineReadinessCheck>("jobs", tags: [InfrastructureExtensions.ReadinessTag]);

        var jobs = builder.Configuration.GetSection(JobEngineOptions.SectionName).Get<JobEngineOptions>() ?? new JobEngineOptions();
        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var data = builder.Configuration.GetSection(DataOptions.SectionName).Get<DataOptions>() ?? new DataOptions();
        builder.AddQuartz(q =>
        {
            q.ConfigureScheduler(s => s.InstanceName = "portal");
            q.UseDefaultThreadPool(Math.Clamp(jobs.MaxConcurrency, 1, 64));
            q.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                if (string.Equals(database.Provider, nameof(DatabaseProvider.PostgreSql), StringComparison.OrdinalIgnoreCase))
                {
                    store.UsePostgres(database.ConnectionString ?? "");
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = jobs.ClusterCheckinInterval;
                        c.CheckinMisfireThreshold = jobs.ClusterCheckinMisfireThreshold;
                    });
                }
                else
                {
                    store.UseSqlite(SchedulerFile(data));
                    builder.Services.AddSingleton(new SqliteSchedulerFile(SchedulerFile(data)));
                }

                store.ProvisionSchema();
            });
        });
        return builder;
    }

    /// <summary>
    /// A file of its own beside portal.db: Quartz polls and locks its tables constantly, and keeping it out of
    /// Portal's file keeps those writes from ever making a user's request wait on SQLite's single writer.
    /// </summary>
    private static string SchedulerFile(DataOptions data) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(Path.GetFullPath(data.Directory), "scheduler.db"),
        Pooling = true,
    }.ToString();
}

/// <summary>The embedded scheduler's SQLite file, put in write-ahead-log mode before Quartz opens it.</summary>
public sealed class SqliteSchedulerFile(string connectionString)
{
    public async Task PrepareAsync(CancellationToken ct)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        await command.ExecuteNonQueryAsync(ct);
    }
}
