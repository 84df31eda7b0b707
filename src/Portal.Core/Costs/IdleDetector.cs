using System.Globalization;

namespace Portal.Core.Costs;

/// <summary>
/// Which environments look abandoned: nothing deployed for a while and hardly any CPU used of what their pods hold.
/// Both must hold, so a quiet but busy environment and a fresh but idle one are left alone.
/// </summary>
public static class IdleDetector
{
    /// <summary>
    /// Idle when the last deploy (or, with none, the environment's creation) is at least options.IdleAfterDays ago AND
    /// the pods' CPU usage over that window is below options.IdleCpuUsageShare of their requests. No usage figures:
    /// judged on deploys alone, and the reason says so. No pods at all: usage share 0. Usage without any request (pods
    /// that request no CPU yet use it): share 1, in use.
    /// </summary>
    public static IdleVerdict Judge(DateTimeOffset? lastDeployAt, DateTimeOffset createdAt, double cpuRequestCoreHours,
        double? cpuUsageCoreHours, DateTimeOffset now, CostsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var days = (now - (lastDeployAt ?? createdAt)).TotalDays;
        var since = lastDeployAt is null
            ? Invariant($"Never deployed, created {days:0.#} days ago")
            : Invariant($"Last deploy {days:0.#} days ago");
        double? share = cpuUsageCoreHours is not { } usage ? null
            : cpuRequestCoreHours > 0 ? usage / cpuRequestCoreHours
            : usage > 0 ? 1 : 0;

        if (days < options.IdleAfterDays)
        {
            return new IdleVerdict(false, lastDeployAt, days, share, Invariant($"{since}: not idle before {options.IdleAfterDays} days without a deploy."));
        }

        if (share is not { } used)
        {
            return new IdleVerdict(true, lastDeployAt, days, null,
                Invariant($"{since}; CPU usage unknown (no usage figures), so judged on deploys alone."));
        }

        var idle = used < options.IdleCpuUsageShare;
        var comparison = idle ? "below" : "not below";
        return new IdleVerdict(idle, lastDeployAt, days, used,
            Invariant($"{since}; pods used {used:0.##%} of the CPU they requested, {comparison} the {options.IdleCpuUsageShare:0.##%} threshold."));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
