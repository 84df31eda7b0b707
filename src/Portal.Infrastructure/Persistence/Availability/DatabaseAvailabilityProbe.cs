using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Portal.Infrastructure.Persistence.Availability;

/// <summary>
/// Asks the database <c>SELECT 1</c> every <see cref="DatabaseOptions.AvailabilityProbeSeconds"/>, and at once when a
/// page or job has just found it unavailable, so the banner appears without waiting for a user and disappears when
/// the database returns even if nobody touches it. Each change of state also empties the connection pool: the idle
/// connections from before an outage are dead sockets, and the first requests after it should not each find one.
/// </summary>
internal sealed class DatabaseAvailabilityProbe(
    PortalDatabase database, DatabaseAvailability availability, IOptions<DatabaseOptions> options, TimeProvider clock) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        availability.Changed += OnChanged;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        availability.Changed -= OnChanged;
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.AvailabilityProbeSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ProbeOnceAsync(stoppingToken);
                await WaitAsync(interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
    }

    /// <summary>One <c>SELECT 1</c> within the probe timeout; its outcome goes to <see cref="DatabaseAvailability"/>.</summary>
    internal async Task ProbeOnceAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.ProbeTimeoutSeconds));
        try
        {
            await using var connection = database.CreateConnection();
            await connection.OpenAsync(timeout.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(timeout.Token);
            availability.ReportSuccess();
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            availability.ReportFailure(new TimeoutException($"The database did not answer within {options.Value.ProbeTimeoutSeconds} s."));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (!availability.ReportFailure(ex))
            {
                // Answered with something other than an outage (e.g. a permission error): it is there.
                availability.ReportSuccess();
            }
        }
    }

    private async Task WaitAsync(TimeSpan interval, CancellationToken ct)
    {
        using var timer = new CancellationTokenSource(interval, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            await _wake.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The interval passed without a wake-up.
        }
    }

    private void OnChanged()
    {
        database.ClearPool();
        if (!availability.IsAvailable)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }
    }
}
