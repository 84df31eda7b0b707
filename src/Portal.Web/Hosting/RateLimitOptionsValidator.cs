using Microsoft.Extensions.Options;

namespace Portal.Web.Hosting;

public sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    private const int MaxPermits = 1_000_000;

    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        Count(failures, nameof(RateLimitOptions.SignInPerAccount), options.SignInPerAccount);
        Count(failures, nameof(RateLimitOptions.SignInPerAddress), options.SignInPerAddress);
        Count(failures, nameof(RateLimitOptions.BadCredentialsPerAddress), options.BadCredentialsPerAddress);
        Window(failures, nameof(RateLimitOptions.SignInWindow), options.SignInWindow);
        Window(failures, nameof(RateLimitOptions.BadCredentialsWindow), options.BadCredentialsWindow);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Count(List<string> failures, string key, int value)
    {
        if (value is < 1 or > MaxPermits)
        {
            failures.Add($"{RateLimitOptions.SectionName}:{key}: must be between 1 and {MaxPermits} (got {value}); a limit cannot be switched off.");
        }
    }

    private static void Window(List<string> failures, string key, TimeSpan value)
    {
        if (value < TimeSpan.FromSeconds(1) || value > TimeSpan.FromDays(1))
        {
            failures.Add($"{RateLimitOptions.SectionName}:{key}: must be between 00:00:01 and 1.00:00:00 (got {value}).");
        }
    }
}
