using Microsoft.Extensions.Options;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Core.Validation;

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

        for (var i = 0; i < options.RoleBindings.Count; i++)
        {
            var key = $"{SeedOptions.SectionName}:RoleBindings:{i}";
            try
            {
                _ = ToBinding(options.RoleBindings[i], DateTimeOffset.UnixEpoch);
            }
            catch (ValidationFailedException ex)
            {
                failures.AddRange(ex.Errors.ToDictionary().SelectMany(e => e.Value.Select(m => $"{key}:{char.ToUpperInvariant(e.Key[0])}{e.Key[1..]}: {m}.")));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The binding a seed entry stands for (env:&lt;name&gt; binds one environment).</summary>
    internal static RoleBinding ToBinding(SeedRoleBinding seed, DateTimeOffset now)
    {
        var request = new GrantRequest { SubjectKind = seed.SubjectKind, Subject = seed.Subject, Role = seed.Role, Scope = seed.Scope };
        if (seed.Scope.StartsWith("env:", StringComparison.OrdinalIgnoreCase))
        {
            var environment = seed.Scope[4..];
            if (EnvironmentName.Validate(environment) is { } problem)
            {
                var errors = new ValidationErrors();
                errors.Add("scope", $"'{environment}' {problem}");
                throw new ValidationFailedException(errors);
            }

            return GrantValidator.Validate(request, BindingScope.ForEnvironment(environment), "seed", now);
        }

        return GrantValidator.Validate(request, null, "seed", now);
    }
}
