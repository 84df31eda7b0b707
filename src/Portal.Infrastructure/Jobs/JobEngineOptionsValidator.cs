using Microsoft.Extensions.Options;
using Portal.Core.Jobs;

namespace Portal.Infrastructure.Jobs;

public sealed class JobEngineOptionsValidator : IValidateOptions<JobEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, JobEngineOptions options)
    {
        const string section = JobEngineOptions.SectionName;
        var failures = new List<string>();
        if (options.MaxAttempts is < 1 or > 20)
        {
            failures.Add($"{section}:MaxAttempts: must be between 1 and 20 (got {options.MaxAttempts}).");
        }

        if (options.RetryBackoff <= TimeSpan.Zero || options.MaxRetryBackoff < options.RetryBackoff)
        {
            failures.Add($"{section}:RetryBackoff: must be positive and at most MaxRetryBackoff ({options.MaxRetryBackoff}).");
        }

        if (options.MaxConcurrency is < 1 or > 64)
        {
            failures.Add($"{section}:MaxConcurrency: must be between 1 and 64 (got {options.MaxConcurrency}).");
        }

        if (options.SweepInterval < TimeSpan.FromMilliseconds(100))
        {
            failures.Add($"{section}:SweepInterval: must be at least 00:00:00.1 (got {options.SweepInterval}).");
        }

        if (options.ClusterCheckinInterval <= TimeSpan.Zero || options.ClusterCheckinMisfireThreshold < options.ClusterCheckinInterval)
        {
            failures.Add($"{section}:ClusterCheckinMisfireThreshold: must be at least ClusterCheckinInterval ({options.ClusterCheckinInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
