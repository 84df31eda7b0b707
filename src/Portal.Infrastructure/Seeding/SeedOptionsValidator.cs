using Microsoft.Extensions.Options;
using Portal.Core.Environments;

namespace Portal.Infrastructure.Seeding;

public sealed class SeedOptionsValidator : IValidateOptions<SeedOptions>
{
    public ValidateOptionsResult Validate(string? name, SeedOptions options)
    {
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Environments.Count; i++)
        {
            var env = options.Environments[i];
            var key = $"{SeedOptions.SectionName}:Environments:{i}";
            if (EnvironmentName.Validate(env.Name) is { } problem)
            {
                failures.Add($"{key}:Name: '{env.Name}' {problem}.");
            }
            else if (!seen.Add(env.Name))
            {
                failures.Add($"{key}:Name: '{env.Name}' is listed twice.");
            }

            if (string.IsNullOrWhiteSpace(env.DisplayName) || env.DisplayName.Length > 200)
            {
                failures.Add($"{key}:DisplayName: must be 1 to 200 characters.");
            }

            if (!EnvironmentTiers.TryParse(env.Tier, out _))
            {
                failures.Add($"{key}:Tier: '{env.Tier}' is not a tier; use one of {string.Join(", ", EnvironmentTiers.All.Select(t => t.ToWire()))}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
