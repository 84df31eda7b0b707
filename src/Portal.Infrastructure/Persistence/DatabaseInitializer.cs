using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Seeding;

namespace Portal.Infrastructure.Persistence;

/// <summary>
/// Migrates and seeds at start-up. The first attempt runs before the server listens; if the database is not
/// reachable yet, the portal still starts (readiness says why) and retries with back-off until it succeeds.
/// </summary>
public sealed partial class DatabaseInitializer(
    SchemaMigrator migrator,
    DemoDataSeeder seeder,
    IOptions<DatabaseOptions> options,
    TimeProvider clock,
    ILogger<DatabaseInitializer> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _retries = Task.CompletedTask;
    private bool _disposed;

    /// <summary>Completes once the schema is current: what needs the database at start (the job scheduler) waits for it.</summary>
    public Task Initialized => _initialized.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await TryInitializeAsync(cancellationToken))
        {
            _retries = RetryAsync(_stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host may dispose its services before (or instead of) stopping them, e.g. when start-up was aborted.
        if (!_disposed)
        {
            await _stopping.CancelAsync();
        }

        await _retries.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    private async Task RetryAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, clock, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (await TryInitializeAsync(ct))
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    /// <summary>Migrates and creates the configured demo data, once; throws when the database is not usable. The
    /// server's start-up and the subcommands that work on the data both come through here.</summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        if (options.Value.MigrateOnStartup)
        {
            await migrator.MigrateAsync(ct);
            await seeder.SeedAsync(ct);
        }
    }

    private async Task<bool> TryInitializeAsync(CancellationToken ct)
    {
        try
        {
            await InitializeAsync(ct);
            _initialized.TrySetResult();
            return true;
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or TimeoutException or InvalidOperationException or SchemaDriftException
                                   && !ct.IsCancellationRequested)
        {
            LogNotReady(logger, ex.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not initialised yet, will retry: {Reason}")]
    private static partial void LogNotReady(ILogger logger, string reason);
}
