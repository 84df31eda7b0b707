namespace Portal.Core.Logs;

/// <summary>
/// The Discover histogram's buckets, the same for every back end: a round interval for the range, buckets aligned in
/// Unix time (UTC) as Elasticsearch's <c>fixed_interval</c> with no offset aligns them, and every bucket of the range
/// present, empty ones with 0.
/// </summary>
public static class LogHistogram
{
    /// <summary>At most this many buckets, Elasticsearch's default <c>search.max_buckets</c>.</summary>
    public const int MaxBuckets = 65_536;

    /// <summary>The most buckets <see cref="IntervalFor"/> chooses for a range of up to 120 weeks.</summary>
    public const int TargetBuckets = 120;

    private static readonly TimeSpan[] Intervals =
    [
        TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(5),
        TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(1),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1),
        TimeSpan.FromHours(3),
        TimeSpan.FromHours(12),
        TimeSpan.FromDays(1),
        TimeSpan.FromDays(7),
    ];

    /// <summary>
    /// The smallest round interval (1s, 5s, 10s, 30s, 1m, 5m, 10m, 30m, 1h, 3h, 12h, 1d, 7d) that cuts the range into at
    /// most <see cref="TargetBuckets"/> buckets, which for ranges from two minutes to four months gives 24 to 120; 7d for
    /// anything longer.
    /// </summary>
    public static TimeSpan IntervalFor(DateTimeOffset from, DateTimeOffset to)
    {
        var span = to - from;
        foreach (var interval in Intervals)
        {
            if (span.Ticks <= interval.Ticks * TargetBuckets)
            {
                return interval;
            }
        }

        return Intervals[^1];
    }

    /// <summary>The start of the bucket holding <paramref name="t"/>: floored to a multiple of the interval since the Unix epoch, in UTC.</summary>
    public static DateTimeOffset BucketStart(DateTimeOffset t, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var sinceEpoch = t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var remainder = sinceEpoch % interval.Ticks;
        if (remainder < 0)
        {
            remainder += interval.Ticks;
        }

        return new DateTimeOffset(t.UtcTicks - remainder, TimeSpan.Zero);
    }

    /// <summary>
    /// Every bucket from <c>BucketStart(from)</c> to <c>BucketStart(to)</c> inclusive, with the counts summed per bucket
    /// (a count may be keyed by any instant inside its bucket; counts outside the range are ignored). Empty when
    /// <paramref name="to"/> is before <paramref name="from"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is not positive, or the range needs more than <see cref="MaxBuckets"/> buckets.</exception>
    public static IReadOnlyList<LogHistogramBucket> Fill(
        DateTimeOffset from,
        DateTimeOffset to,
        TimeSpan interval,
        IEnumerable<KeyValuePair<DateTimeOffset, long>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var first = BucketStart(from, interval);
        var last = BucketStart(to, interval);
        if (last < first)
        {
            return [];
        }

        var bucketCount = ((last.UtcTicks - first.UtcTicks) / interval.Ticks) + 1;
        if (bucketCount > MaxBuckets)
        {
            throw new ArgumentOutOfRangeException(
                nameof(interval),
                interval,
                $"The range {from:O} to {to:O} needs {bucketCount} buckets of {interval}; at most {MaxBuckets} are allowed.");
        }

        var sums = new long[bucketCount];
        foreach (var (key, count) in counts)
        {
            var index = (BucketStart(key, interval).UtcTicks - first.UtcTicks) / interval.Ticks;
            if (index >= 0 && index < bucketCount)
            {
                sums[index] += count;
            }
        }

        var buckets = new LogHistogramBucket[bucketCount];
        for (var i = 0; i < bucketCount; i++)
        {
            buckets[i] = new LogHistogramBucket(first.AddTicks(i * interval.Ticks), sums[i]);
        }

        return buckets;
    }
}
