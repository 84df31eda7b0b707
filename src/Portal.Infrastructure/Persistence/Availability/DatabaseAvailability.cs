using Microsoft.Extensions.Logging;

namespace Portal.Infrastructure.Persistence.Availability;

/// <summary>
/// Whether the portal's database answers right now, as the last data access or probe found it. Pages read it to
/// show one banner instead of an error page, the API to refuse writes with 503 before trying, and the sign-in cookie
/// check to keep sessions alive instead of signing everyone out while the database is away. It flips back as soon
/// as a statement or <see cref="DatabaseAvailabilityProbe"/> succeeds, so nothing needs a restart.
/// </summary>
public sealed partial class DatabaseAvailability(TimeProvider clock, ILogger<DatabaseAvailability> logger)
{
    private readonly Lock _lock = new();

    /// <summary>When the current outage was first noticed (for the "answers again after" log); null while the database answers.</summary>
    private DateTimeOffset? _unavailableSince;

    /// <summary>Raised on every change between available and unavailable, outside any lock.</summary>
    public event Action? Changed;

    public bool IsAvailable
    {
        get
        {
            lock (_lock)
            {
                return _unavailableSince is null;
            }
        }
    }

    /// <summary>Records a failed access; returns whether it was an outage (see <see cref="DatabaseFailures"/>).</summary>
    public bool ReportFailure(Exception exception)
    {
        if (!DatabaseFailures.IsUnavailable(exception))
        {
            return false;
        }

        lock (_lock)
        {
            if (_unavailableSince is not null)
            {
                return true;
            }

            _unavailableSince = clock.GetUtcNow();
        }

        // The type only: provider messages name the host and port.
        LogUnavailable(logger, exception.GetType().Name);
        Changed?.Invoke();
        return true;
    }

    /// <summary>Records that the database answered.</summary>
    public void ReportSuccess()
    {
        DateTimeOffset since;
        lock (_lock)
        {
            if (_unavailableSince is not { } s)
            {
                return;
            }

            since = s;
            _unavailableSince = null;
        }

        LogAvailable(logger, clock.GetUtcNow() - since);
        Changed?.Invoke();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is not answering ({Failure}); pages show what needs none and writes are refused until it returns")]
    private static partial void LogUnavailable(ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database answers again after {Outage}")]
    private static partial void LogAvailable(ILogger logger, TimeSpan outage);
}
