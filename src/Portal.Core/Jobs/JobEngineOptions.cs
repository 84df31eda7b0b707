namespace Portal.Core.Jobs;

/// <summary>Settings of the <c>Jobs</c> section: retries, back-off, concurrency and the sweep that keeps jobs moving.</summary>
public sealed class JobEngineOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Attempts per step before the job fails (1 = no retry).</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Wait before the second attempt; doubled before each further one.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Jobs one replica runs at once.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>How often a replica looks for jobs nobody holds (and expired environments and approvals).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>PostgreSQL only: how often a replica checks in, and how late before others take over its jobs.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ClusterCheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Set false to keep the scheduler off in this process (the API still records and lists jobs).</summary>
    public bool Enabled { get; set; } = true;

    public TimeSpan BackoffBefore(int nextAttempt)
    {
        var factor = Math.Pow(2, Math.Max(0, nextAttempt - 2));
        var wait = TimeSpan.FromTicks((long)Math.Min(RetryBackoff.Ticks * factor, MaxRetryBackoff.Ticks));
        return wait;
    }
}
