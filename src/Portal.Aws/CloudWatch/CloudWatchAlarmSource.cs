using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Aws.Accounts;
using Portal.Core.Alarms;
using Domain = Portal.Core.Alarms;

namespace Portal.Aws.CloudWatch;

/// <summary>
/// The <see cref="IAlarmSource"/> over CloudWatch in every configured account (or the embedded sandbox's CloudWatch
/// endpoint). A failing account does not hide the others: <see cref="ListAsync"/> lists what it could read and names
/// each account it could not read (or read without some tags) in <see cref="AlarmListing.Problems"/>; it throws only
/// when no account could be read.
/// </summary>
public sealed partial class CloudWatchAlarmSource : IAlarmSource
{
    /// <summary>How long an alarm's tags are reused before <c>ListTagsForResource</c> is asked again.</summary>
    public static readonly TimeSpan TagLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Tag reads in flight per account: CloudWatch's API limits are per account and region.</summary>
    private const int TagConcurrency = 4;

    private static readonly IReadOnlyList<string> BothKinds = [CloudWatchValues.MetricAlarm, CloudWatchValues.CompositeAlarm];

    private readonly AwsAccounts _accounts;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, (IReadOnlyDictionary<string, string> Tags, DateTimeOffset ReadAt)> _tags = new(StringComparer.Ordinal);

    public CloudWatchAlarmSource(AwsAccounts accounts, TimeProvider clock, ILogger<CloudWatchAlarmSource>? logger = null)
    {
        _accounts = accounts;
        _clock = clock;
        _logger = logger ?? NullLogger<CloudWatchAlarmSource>.Instance;
    }

    /// <exception cref="AlarmSourceException">Not one account could be read (the first account's failure kind; every account's message).</exception>
    public async Task<AlarmListing> ListAsync(CancellationToken ct)
    {
        var results = await Task.WhenAll(_accounts.Select(a => ReadAccountAsync(a, ct)));
        var failures = results.Select(r => r.Failure).OfType<AccountFailure>().ToList();
        foreach (var failure in failures)
        {
            LogAccountFailed(failure.Account, failure.Error.Failure, failure.Error.Message);
        }

        if (results.Length > 0 && results.All(r => r.Alarms is null))
        {
            throw new AlarmSourceException(failures[0].Error.Failure, string.Join(" ", failures.Select(f => f.Message)), failures[0].Error);
        }

        ForgetOldTags();
        return new AlarmListing(results.SelectMany(r => r.Alarms ?? []).ToList(), failures.Select(f => f.Message).ToList(),
            results.Where(r => r.Alarms is null).Select(r => r.Failure!.Account).ToList());
    }

    public async Task<IReadOnlyList<Domain.AlarmHistoryItem>> HistoryAsync(Alarm alarm, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var account = Account(alarm);
        var items = await account.CloudWatch.DescribeAllAlarmHistoryAsync(new DescribeAlarmHistoryRequest
        {
            AlarmName = alarm.Name,
            AlarmTypes = [alarm.Kind == AlarmKind.Composite ? CloudWatchValues.CompositeAlarm : CloudWatchValues.MetricAlarm],
            StartDate = from,
            EndDate = to,
            MaxRecords = 100,
            ScanBy = CloudWatchValues.TimestampDescending,
        }, ct);
        return items.Select(CloudWatchAlarmMapper.History).OfType<Domain.AlarmHistoryItem>().OrderByDescending(i => i.Timestamp).ToList();
    }

    public async Task<MetricSeries?> MetricAsync(Alarm alarm, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        if (alarm.Kind == AlarmKind.Composite || alarm.Condition is not { } condition || CloudWatchAlarmMapper.Queries(condition) is not { } plan)
        {
            return null;
        }

        var (queries, returnId) = plan;
        var account = Account(alarm);
        var response = await account.CloudWatch.GetAllMetricDataAsync(new GetMetricDataRequest
        {
            MetricDataQueries = queries,
            StartTime = from,
            EndTime = to,
            ScanBy = CloudWatchValues.TimestampAscending,
        }, ct);
        var result = response.MetricDataResults?.FirstOrDefault(r => r.Id == returnId);
        var times = result?.Timestamps ?? [];
        var values = result?.Values ?? [];
        var points = times.Zip(values, (t, v) => new MetricPoint(t, v)).OrderBy(p => p.Time).ToList();
        var label = result?.Label ?? queries.First(q => q.Id == returnId).Label ?? condition.Metric?.MetricName ?? returnId;
        return new MetricSeries(label, condition.PeriodSeconds, points);
    }

    private AwsAccountClients Account(Alarm alarm) => _accounts.Find(alarm.Account)
        ?? throw new AlarmSourceException(AwsFailure.InvalidRequest, $"Alarm '{alarm.Name}' belongs to AWS account '{alarm.Account}', which is not configured.");

    private async Task<(IReadOnlyList<Alarm>? Alarms, AccountFailure? Failure)> ReadAccountAsync(AwsAccountClients account, CancellationToken ct)
    {
        DescribeAlarmsResponse described;
        try
        {
            described = await account.CloudWatch.DescribeAllAlarmsAsync(new DescribeAlarmsRequest { AlarmTypes = BothKinds, MaxRecords = 100 }, ct);
        }
        catch (AlarmSourceException ex)
        {
            return (null, new AccountFailure(account.Account.Name, ex, ex.Message));
        }

        var arns = (described.MetricAlarms ?? []).Select(a => a.AlarmArn).Concat((described.CompositeAlarms ?? []).Select(a => a.AlarmArn))
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var (tags, tagFailure) = await ReadTagsAsync(account, arns, ct);
        var name = account.Account.Name;
        IReadOnlyDictionary<string, string> TagsOf(string? arn) => arn is not null && tags.TryGetValue(arn, out var t) ? t : new Dictionary<string, string>();
        var alarms = (described.MetricAlarms ?? []).Select(a => CloudWatchAlarmMapper.Map(a, name, TagsOf(a.AlarmArn)))
            .Concat((described.CompositeAlarms ?? []).Select(a => CloudWatchAlarmMapper.Map(a, name, TagsOf(a.AlarmArn))))
            .OfType<Alarm>()
            .ToList();
        return (alarms, tagFailure);
    }

    /// <summary>
    /// Tags per ARN, from the cache while younger than <see cref="TagLifetime"/>. After the first failure the
    /// remaining ARNs are not asked (the same failure would repeat): their alarms are listed without tags.
    /// </summary>
    private async Task<(Dictionary<string, IReadOnlyDictionary<string, string>> Tags, AccountFailure? Failure)> ReadTagsAsync(
        AwsAccountClients account, IReadOnlyList<string> arns, CancellationToken ct)
    {
        var tags = new ConcurrentDictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        AlarmSourceException? failure = null;
        var now = _clock.GetUtcNow();
        await Parallel.ForEachAsync(arns, new ParallelOptions { MaxDegreeOfParallelism = TagConcurrency, CancellationToken = ct }, async (arn, token) =>
        {
            if (_tags.TryGetValue(arn, out var cached) && now - cached.ReadAt < TagLifetime)
            {
                tags[arn] = cached.Tags;
                return;
            }

            if (Volatile.Read(ref failure) is not null)
            {
                return;
            }

            try
            {
                var read = await account.CloudWatch.ListTagsForResourceAsync(arn, token) ?? [];
                var map = read.GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
                tags[arn] = map;
                _tags[arn] = (map, now);
            }
            catch (AlarmSourceException ex)
            {
                Interlocked.CompareExchange(ref failure, ex, null);
            }
        });
        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(tags, StringComparer.Ordinal);
        return failure is null
            ? (result, null)
            : (result, new AccountFailure(account.Account.Name, failure, $"Some alarms of account '{account.Account.Name}' are shown without their tags: {failure.Message}"));
    }

    private void ForgetOldTags()
    {
        var now = _clock.GetUtcNow();
        foreach (var (arn, entry) in _tags)
        {
            if (now - entry.ReadAt >= TagLifetime * 2)
            {
                _tags.TryRemove(arn, out _);
            }
        }
    }

    /// <summary>An account not read, or read without some tags, and the sentence that says so.</summary>
    private sealed record AccountFailure(string Account, AlarmSourceException Error, string Message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AWS account {Account} could not be read fully ({Failure}): {Reason}")]
    private partial void LogAccountFailed(string account, AwsFailure failure, string reason);
}
