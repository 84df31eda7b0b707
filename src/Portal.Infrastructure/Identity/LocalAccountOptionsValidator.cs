using Microsoft.Extensions.Options;
using Portal.Core.Validation;

namespace Portal.Infrastructure.Identity;

public sealed class LocalAccountOptionsValidator : IValidateOptions<LocalAccountOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalAccountOptions options)
    {
        var failures = new List<string>();
        const string section = LocalAccountOptions.SectionName;
        if (options.MaxFailedAttempts is < 1 or > 100)
        {
            failures.Add($"{section}:MaxFailedAttempts: must be between 1 and 100 (got {options.MaxFailedAttempts}).");
        }

        if (options.LockoutMinutes is < 1 or > 1440)
        {
            failures.Add($"{section}:LockoutMinutes: must be between 1 and 1440 (got {options.LockoutMinutes}).");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Accounts.Count; i++)
        {
            var account = options.Accounts[i];
            var key = $"{section}:Accounts:{i}";
            var problem = Text.Required(account.UserName, 200) ?? (account.UserName.Any(char.IsWhiteSpace) ? "must not contain spaces" : null);
            if (problem is not null)
            {
                failures.Add($"{key}:UserName: {problem}.");
            }
            else if (!seen.Add(account.UserName))
            {
                failures.Add($"{key}:UserName: '{account.UserName}' is listed twice.");
            }

            if (Text.Required(account.DisplayName, 200) is { } displayProblem)
            {
                failures.Add($"{key}:DisplayName: {displayProblem}.");
            }

            if (account.Password.Length < 8)
            {
                failures.Add($"{key}:Password: must be at least 8 characters.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
