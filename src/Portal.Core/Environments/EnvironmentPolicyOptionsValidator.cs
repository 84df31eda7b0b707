using Microsoft.Extensions.Options;

namespace Portal.Core.Environments;

public sealed class EnvironmentPolicyOptionsValidator : IValidateOptions<EnvironmentPolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, EnvironmentPolicyOptions options)
    {
        var failures = new List<string>();
        const string section = EnvironmentPolicyOptions.SectionName;
        if (EnvironmentName.Validate(options.DefaultCluster) is { } problem)
        {
            failures.Add($"{section}:DefaultCluster: '{options.DefaultCluster}' {problem}.");
        }

        foreach (var (tier, policy) in options.Tiers)
        {
            var key = $"{section}:Tiers:{tier}";
            if (!EnvironmentTiers.TryParse(tier, out _))
            {
                failures.Add($"{key}: '{tier}' is not a tier; use dev, test, staging or prod.");
            }

            if (policy.DefaultTtlHours < 0 || policy.MaxTtlHours < 0)
            {
                failures.Add($"{key}: hours must not be negative.");
            }
            else if (policy.DefaultTtlHours > policy.MaxTtlHours)
            {
                failures.Add($"{key}:DefaultTtlHours: {policy.DefaultTtlHours} is above MaxTtlHours ({policy.MaxTtlHours}).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
