using Microsoft.Extensions.Options;
using Portal.Core.Alarms;

namespace Portal.Web.Features.Alarms;

/// <summary>
/// Reads every account's alarms every <see cref="AlarmsOptions.PollInterval"/> (and on demand), so that pages, the top
/// bar and the API answer from memory. A failed read keeps the last alarms and says why (of the accounts that failed,
/// when only some did); the next read recovers.
/// Each replica polls on its own: the alarms are CloudWatch's, the triage is in the database they share.
/// </summary>
internal sealed partial class AlarmPoller(IAlarmSource source, TimeProvider clock, IOptions<AlarmsOptions> options, ILogger<AlarmPoller> logger)
    : BackgroundService, IAlarmFeed
{
    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile AlarmFeedSnapshot _current = AlarmFeedSnapshot.Empty;
    private string? _lastLogged;

    public AlarmFeedSnapshot Current => _current;

    public event Action<AlarmFeedSnapshot>? Changed;

    public async Task RefreshAsync(CancellationToken ct)
    {
        await _reading.WaitAsync(ct);
        try
        {
            var previous = _current;
            AlarmFeedSnapshot next;
            try
            {
                var listing = await source.ListAsync(ct);

                // An account that could not be read this time keeps its last known alarms, as a failed read of all does.
                var unread = listing.Unread ?? [];
                var kept = previous.Alarms.Where(a => unread.Contains(a.Account, StringComparer.Ordinal));
                next = new AlarmFeedSnapshot([.. listing.Alarms.Concat(kept).OrderBy(a => a.Name, StringComparer.Ordinal)], clock.GetUtcNow(), listing.Problems);
                _lastLogged = null;
            }
            catch (AlarmSourceException ex)
            {
                // Once per distinct problem, not every poll: an unconfigured or unreachable source would fill the log.
                if (ex.Message != _lastLogged)
                {
                    LogReadFailed(logger, ex.Message);
                    _lastLogged = ex.Message;
                }

                next = previous with { Problems = [ex.Message] };
            }

            _current = next;
            if (!SameAs(previous, next))
            {
                Changed?.Invoke(next);
            }
        }
        finally
        {
            _reading.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReadFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static bool SameAs(AlarmFeedSnapshot a, AlarmFeedSnapshot b) =>
        a.Alarms.Count == b.Alarms.Count
        && a.Alarms.Zip(b.Alarms).All(p => p.First.Name == p.Second.Name && p.First.State == p.Second.State && p.First.StateChangedAt == p.Second.StateChangedAt)
        && a.Problems.SequenceEqual(b.Problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading alarms failed, showing the last ones read: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string reason);
}
