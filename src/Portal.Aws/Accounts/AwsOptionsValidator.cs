using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Portal.Aws.Accounts;

/// <summary>Checks <see cref="AwsOptions"/> at start-up; each failure names its key (<c>Aws:Accounts:1:Region</c>) and the problem.</summary>
public sealed partial class AwsOptionsValidator : IValidateOptions<AwsOptions>
{
    public ValidateOptionsResult Validate(string? name, AwsOptions options)
    {
        const string section = AwsOptions.SectionName;
        var failures = new List<string>();
        if (options.MaxAttempts is < 1 or > 10)
        {
            failures.Add($"{section}:MaxAttempts must be between 1 and 10 (got {options.MaxAttempts}).");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{section}:RequestTimeout must be between 00:00:00 and 00:05:00 (got {options.RequestTimeout}).");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Accounts.Count; i++)
        {
            ValidateAccount($"{section}:Accounts:{i}", options.Accounts[i], names, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateAccount(string key, AwsAccountOptions account, HashSet<string> names, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(account.Name) || !AccountName().IsMatch(account.Name))
        {
            failures.Add($"{key}:Name is required: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (got '{account.Name}').");
        }
        else if (!names.Add(account.Name))
        {
            failures.Add($"{key}:Name '{account.Name}' is used by another account; names must be unique.");
        }

        if (!Region().IsMatch(account.Region ?? ""))
        {
            failures.Add($"{key}:Region is required and must look like eu-west-1 (got '{account.Region}').");
        }

        if (account.RoleArn is not null && !RoleArn().IsMatch(account.RoleArn))
        {
            failures.Add($"{key}:RoleArn must be an IAM role ARN such as arn:aws:iam::123456789012:role/portal-reader (got '{account.RoleArn}').");
        }

        if (account.ExternalId is not null)
        {
            if (account.RoleArn is null)
            {
                failures.Add($"{key}:ExternalId is only used with RoleArn; set RoleArn or remove it.");
            }
            else if (!ExternalId().IsMatch(account.ExternalId))
            {
                failures.Add($"{key}:ExternalId must be 2 to 1224 characters of letters, digits and +=,.@:/-.");
            }
        }

        if (account.SessionDurationSeconds is { } duration && (account.RoleArn is null || duration is < 900 or > 43200))
        {
            failures.Add($"{key}:SessionDurationSeconds must be between 900 and 43200, and only with RoleArn (got {duration}).");
        }

        for (var e = 0; e < account.Environments.Count; e++)
        {
            if (string.IsNullOrWhiteSpace(account.Environments[e]))
            {
                failures.Add($"{key}:Environments:{e} is empty; name a Portal environment, or leave the list empty for every environment.");
            }
        }

        Endpoint($"{key}:CloudWatchEndpoint", account.CloudWatchEndpoint, failures);
        Endpoint($"{key}:CloudTrailEndpoint", account.CloudTrailEndpoint, failures);
        Endpoint($"{key}:StsEndpoint", account.StsEndpoint, failures);
    }

    private static void Endpoint(string key, Uri? endpoint, List<string> failures)
    {
        if (endpoint is null)
        {
            return;
        }

        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{key} must be an absolute http(s) URL (got '{endpoint.OriginalString}').");
        }
        else if (!string.IsNullOrEmpty(endpoint.UserInfo))
        {
            // Not echoed: the user info may be a secret.
            failures.Add($"{key} must not carry user info; AWS requests are signed with SigV4.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\z")]
    private static partial Regex AccountName();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+\\z")]
    private static partial Regex Region();

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}\z")]
    private static partial Regex RoleArn();

    [GeneratedRegex(@"^[\w+=,.@:/-]{2,1224}\z")]
    private static partial Regex ExternalId();
}
