namespace Portal.Sandbox.Kubernetes.Runtime;

/// <summary>How fast the simulated cluster moves. The defaults look like a real cluster; tests shorten them.</summary>
public sealed record SandboxTimings
{
    /// <summary>How often the controllers look at everything (they also wake on every change).</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan ImagePull { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>From container start to ready, unless the readiness probe's initialDelaySeconds says otherwise.</summary>
    public TimeSpan Readiness { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a <c>crash</c> image runs before it exits with an error.</summary>
    public TimeSpan CrashAfter { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>The kubelet's restart back-off: this, doubling per restart, up to <see cref="BackOffMax"/>.</summary>
    public TimeSpan BackOffBase { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan BackOffMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest a deleted pod takes to stop (shorter when its grace period is).</summary>
    public TimeSpan Termination { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often an unschedulable pod is tried again.</summary>
    public TimeSpan ScheduleRetry { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Watch bookmarks, when the client allows them.</summary>
    public TimeSpan Bookmark { get; init; } = TimeSpan.FromSeconds(15);

    public static SandboxTimings Fast { get; } = new()
    {
        Tick = TimeSpan.FromMilliseconds(50),
        ImagePull = TimeSpan.FromMilliseconds(100),
        Readiness = TimeSpan.FromMilliseconds(200),
        CrashAfter = TimeSpan.FromMilliseconds(300),
        BackOffBase = TimeSpan.FromMilliseconds(300),
        BackOffMax = TimeSpan.FromSeconds(2),
        Termination = TimeSpan.FromMilliseconds(100),
        ScheduleRetry = TimeSpan.FromMilliseconds(500),
        Bookmark = TimeSpan.FromSeconds(1),
    };
}
