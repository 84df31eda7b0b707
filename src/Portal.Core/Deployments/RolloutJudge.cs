namespace Portal.Core.Deployments;

/// <summary>What a look at a rollout concludes.</summary>
public abstract record RolloutVerdict
{
    public sealed record Progressing : RolloutVerdict;

    public sealed record Succeeded : RolloutVerdict;

    public sealed record Failed(string Reason, string Message) : RolloutVerdict;
}

/// <summary>
/// Decides, from one look at a rollout, whether it finished, failed or goes on. Pure, so each rule has a test:
/// <list type="bullet">
/// <item>done as <c>kubectl rollout status</c> sees it (every replica updated and available, no old pod left);</item>
/// <item>an image that cannot be pulled, a crash loop and an exceeded progress deadline fail at once — waiting does
/// not fix them;</item>
/// <item>pods that cannot be scheduled or created (quota) fail after <see cref="DeploymentOptions.UnschedulableGrace"/>,
/// since a rolling update frees room as old pods go;</item>
/// <item>a pod of the release running without becoming ready for <see cref="DeploymentOptions.ReadinessTimeout"/>
/// fails it; so does watching longer than <see cref="DeploymentOptions.RolloutTimeout"/>.</item>
/// </list>
/// </summary>
public static class RolloutJudge
{
    private static readonly HashSet<string> Immediate = [RolloutProblems.ImagePullBackOff, RolloutProblems.CrashLoopBackOff, RolloutProblems.ProgressDeadlineExceeded];

    public static RolloutVerdict Judge(RolloutStatus status, DateTimeOffset startedAt, DateTimeOffset now, DeploymentOptions options, string? healthCheckPath = null)
    {
        if (status.Complete)
        {
            return new RolloutVerdict.Succeeded();
        }

        foreach (var problem in status.Problems.OrderBy(p => Immediate.Contains(p.Reason) ? 0 : 1))
        {
            if (Immediate.Contains(problem.Reason) || now - Max(problem.Since, startedAt) >= options.UnschedulableGrace)
            {
                return new RolloutVerdict.Failed(problem.Reason, problem.Message);
            }
        }

        var stuck = status.Pods
            .Where(p => p.Current && p.Phase == "Running" && !p.Ready && now - Max(p.Created ?? startedAt, startedAt) >= options.ReadinessTimeout)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (stuck is not null)
        {
            var check = healthCheckPath is null ? "its readiness check" : $"its readiness check on {healthCheckPath}";
            return new RolloutVerdict.Failed(RolloutProblems.ReadinessTimeout,
                $"Pod {stuck.Name} has been running for {Minutes(options.ReadinessTimeout)} without passing {check}; look at its logs and its health endpoint.");
        }

        if (now - startedAt >= options.RolloutTimeout)
        {
            return new RolloutVerdict.Failed(RolloutProblems.ProgressDeadlineExceeded,
                $"The rollout did not finish within {Minutes(options.RolloutTimeout)}: {status.Updated} of {status.Desired} replicas updated, {status.Available} available.");
        }

        return new RolloutVerdict.Progressing();
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string Minutes(TimeSpan t) =>
        t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.#} minute{(t.TotalMinutes == 1 ? "" : "s")}" : $"{t.TotalSeconds:0} seconds";
}
