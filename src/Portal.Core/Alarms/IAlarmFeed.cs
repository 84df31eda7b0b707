namespace Portal.Core.Alarms;

/// <summary>What the last read of every account returned, and which accounts could not be read.</summary>
public sealed record AlarmFeedSnapshot(IReadOnlyList<Alarm> Alarms, DateTimeOffset? ReadAt, IReadOnlyList<string> Problems)
{
    public static AlarmFeedSnapshot Empty { get; } = new([], null, []);
}

/// <summary>
/// Port: the current alarms, read periodically from <see cref="IAlarmSource"/> so that pages, the top bar and the API
/// never wait for CloudWatch. <see cref="Changed"/> fires after every read that changed something.
/// </summary>
public interface IAlarmFeed
{
    AlarmFeedSnapshot Current { get; }

    event Action<AlarmFeedSnapshot>? Changed;

    /// <summary>Reads now instead of waiting for the next poll.</summary>
    Task RefreshAsync(CancellationToken ct);
}
