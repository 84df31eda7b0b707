namespace Portal.Aws.Protocol;

/// <summary>
/// botocore's "standard" retry mode: throttling and transient errors, HTTP 500/502/503/504, timeouts and connection
/// failures are tried again, up to <see cref="MaxAttempts"/> attempts in all, after a full-jitter exponential back-off
/// (a random share of <c>BaseDelay × 2^(attempt-1)</c>, at most 20 s). The random source and the wait are injectable
/// so that tests neither sleep nor guess.
/// </summary>
public sealed class AwsRetryPolicy
{
    /// <summary>botocore's cap on one back-off.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(20);

    /// <summary>botocore's <c>_THROTTLED_ERROR_CODES</c>.</summary>
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    };

    /// <summary>botocore's <c>_TRANSIENT_ERROR_CODES</c>, plus STS's modeled retryable <c>IDPCommunicationError</c>.</summary>
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "IDPCommunicationError",
    };

    private static readonly HashSet<int> TransientStatusCodes = [500, 502, 503, 504];

    private readonly Func<double> _random;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;

    /// <param name="maxAttempts">Attempts in all, the first included.</param>
    /// <param name="baseDelay">The first back-off's upper bound; 1 s as in botocore.</param>
    /// <param name="random">A uniform draw in [0, 1); <see cref="Random.Shared"/> by default.</param>
    /// <param name="delay">How to wait; <c>Task.Delay</c> on <paramref name="clock"/> by default.</param>
    /// <param name="clock">The clock the default wait uses.</param>
    public AwsRetryPolicy(int maxAttempts = 3, TimeSpan? baseDelay = null, Func<double>? random = null, Func<TimeSpan, CancellationToken, Task>? delay = null,
        TimeProvider? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        MaxAttempts = maxAttempts;
        BaseDelay = baseDelay ?? TimeSpan.FromSeconds(1);
        _random = random ?? Random.Shared.NextDouble;
        var time = clock ?? TimeProvider.System;
        _delay = delay ?? ((wait, ct) => Task.Delay(wait, time, ct));
    }

    public int MaxAttempts { get; }

    public TimeSpan BaseDelay { get; }

    public static bool IsThrottling(AwsServiceError error) => ThrottlingCodes.Contains(error.Code) || error.StatusCode == 429;

    /// <summary>Whether another attempt may succeed: throttling, a transient code, or a 500/502/503/504.</summary>
    public static bool IsRetryable(AwsServiceError error) =>
        IsThrottling(error) || TransientCodes.Contains(error.Code) || TransientStatusCodes.Contains(error.StatusCode);

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan BackoffAfter(int attempt)
    {
        var ceiling = BaseDelay.TotalSeconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(_random() * ceiling, MaxBackoff.TotalSeconds));
    }

    public Task WaitAsync(int attempt, CancellationToken ct) => _delay(BackoffAfter(attempt), ct);
}
