using Microsoft.Extensions.Options;

namespace Portal.Core.Deployments;

/// <summary>Settings of the <c>Deployments</c> section: how rollouts are watched and when they are called failed.</summary>
public sealed class DeploymentOptions
{
    public const string SectionName = "Deployments";

    /// <summary>How often a rollout is looked at while it runs.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A pod of the new release running this long without becoming ready fails the rollout.</summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Pods that cannot be scheduled or created (quota) for this long fail the rollout (they may clear as old pods go).</summary>
    public TimeSpan UnschedulableGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The Deployment's progressDeadlineSeconds; Portal also gives up waiting a minute after it.</summary>
    public int ProgressDeadlineSeconds { get; set; } = 600;

    /// <summary>The Deployments' minReadySeconds: a pod counts as available once it stayed ready this long, so a release that passes its check and then crashes fails its rollout.</summary>
    public int MinReadySeconds { get; set; } = 10;

    /// <summary>How long a rollout may be watched in all.</summary>
    public TimeSpan RolloutTimeout => TimeSpan.FromSeconds(ProgressDeadlineSeconds) + TimeSpan.FromMinutes(1);
}

public sealed class DeploymentOptionsValidator : IValidateOptions<DeploymentOptions>
{
    public ValidateOptionsResult Validate(string? name, DeploymentOptions options)
    {
        var problems = new List<string>();
        if (options.PollInterval <= TimeSpan.Zero || options.PollInterval > TimeSpan.FromMinutes(1))
        {
            problems.Add($"{DeploymentOptions.SectionName}:PollInterval must be between 0 and 1 minute (got {options.PollInterval}).");
        }

        if (options.ReadinessTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{DeploymentOptions.SectionName}:ReadinessTimeout must be positive (got {options.ReadinessTimeout}).");
        }

        if (options.UnschedulableGrace < TimeSpan.Zero)
        {
            problems.Add($"{DeploymentOptions.SectionName}:UnschedulableGrace must not be negative (got {options.UnschedulableGrace}).");
        }

        if (options.ProgressDeadlineSeconds is < 10 or > 86_400)
        {
            problems.Add($"{DeploymentOptions.SectionName}:ProgressDeadlineSeconds must be between 10 and 86400 (got {options.ProgressDeadlineSeconds}).");
        }

        if (options.MinReadySeconds is < 0 or > 3600)
        {
            problems.Add($"{DeploymentOptions.SectionName}:MinReadySeconds must be between 0 and 3600 (got {options.MinReadySeconds}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
