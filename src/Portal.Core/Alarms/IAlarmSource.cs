namespace Portal.Core.Alarms;

/// <summary>
/// Port: where alarms come from. Adapter <c>CloudWatchAlarmSource</c> (Portal.Aws) reads CloudWatch in every
/// configured account, whether a real one or the embedded sandbox's CloudWatch endpoint.
/// </summary>
public interface IAlarmSource
{
    /// <summary>
    /// Every metric and composite alarm of every account, all pages, with their tags. An account that cannot be read
    /// is named in <see cref="AlarmListing.Problems"/>; the others' alarms are still listed.
    /// </summary>
    /// <exception cref="AlarmSourceException">No account could be read.</exception>
    Task<AlarmListing> ListAsync(CancellationToken ct);

    /// <summary>The alarm's history in [<paramref name="from"/>, <paramref name="to"/>], newest first.</summary>
    /// <exception cref="AlarmSourceException"/>
    Task<IReadOnlyList<AlarmHistoryItem>> HistoryAsync(Alarm alarm, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);

    /// <summary>The values the alarm compares over the range, at its period; null for a composite alarm.</summary>
    /// <exception cref="AlarmSourceException"/>
    Task<MetricSeries?> MetricAsync(Alarm alarm, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);
}

/// <summary>
/// The alarms read, and a plain sentence per account that could not be read; <paramref name="Unread"/> names those
/// accounts, whose alarms are missing from <paramref name="Alarms"/> (the feed keeps their last known ones).
/// </summary>
public sealed record AlarmListing(IReadOnlyList<Alarm> Alarms, IReadOnlyList<string> Problems, IReadOnlyList<string>? Unread = null);

public enum AwsFailure
{
    /// <summary>Still throttled after the retries.</summary>
    Throttled,

    /// <summary>Missing, expired or refused credentials, or a role that could not be assumed.</summary>
    Credentials,

    /// <summary>The caller lacks an IAM permission (<c>AccessDenied</c>).</summary>
    AccessDenied,

    /// <summary>The service refused the request as invalid (a bug on our side, or a bad filter).</summary>
    InvalidRequest,

    /// <summary>Unreachable, timed out, or 5xx after the retries.</summary>
    Unavailable,
}

/// <summary>An AWS call that failed, in plain words fit for a banner: never a key, a token or a signature.</summary>
public sealed class AlarmSourceException(AwsFailure failure, string message, Exception? innerException = null) : Exception(message, innerException)
{
    public AwsFailure Failure { get; } = failure;
}
