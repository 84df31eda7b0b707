using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Portal.Logs.Elasticsearch;

/// <summary>Checks <see cref="ElasticsearchOptions"/> at start-up; each failure names its key.</summary>
public sealed partial class ElasticsearchOptionsValidator : IValidateOptions<ElasticsearchOptions>
{
    private static readonly char[] ForbiddenIndexCharacters = [' ', '\\', '/', '?', '"', '<', '>', '|', '#'];

    public ValidateOptionsResult Validate(string? name, ElasticsearchOptions options)
    {
        const string section = ElasticsearchOptions.SectionName;
        var failures = new List<string>();
        if (options.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{section}:Url must be an absolute http(s) URL.");
        }

        if (string.IsNullOrWhiteSpace(options.IndexPattern) || options.IndexPattern.IndexOfAny(ForbiddenIndexCharacters) >= 0)
        {
            failures.Add($"{section}:IndexPattern must be a comma-separated list of index names or patterns without spaces or any of \\ / ? \" < > | #.");
        }
        else if (!options.IndexPattern.Contains(ElasticsearchOptions.EnvironmentPlaceholder, StringComparison.Ordinal)
            && string.IsNullOrWhiteSpace(options.EnvironmentFilterField))
        {
            failures.Add($"{section}:EnvironmentFilterField is required when IndexPattern has no {ElasticsearchOptions.EnvironmentPlaceholder} placeholder: "
                + "without either, Portal could not keep one environment's logs from another's.");
        }

        if (string.IsNullOrWhiteSpace(options.TimestampField))
        {
            failures.Add($"{section}:TimestampField must name the documents' time field (e.g. @timestamp).");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{section}:RequestTimeout must be between 00:00:00 and 00:10:00 (got {options.RequestTimeout}).");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add($"{section}:MaxRetries must be between 0 and 10 (got {options.MaxRetries}).");
        }

        if (!TimeUnit().IsMatch(options.PointInTimeKeepAlive ?? ""))
        {
            failures.Add($"{section}:PointInTimeKeepAlive must be an Elasticsearch time value such as 2m or 90s (got '{options.PointInTimeKeepAlive}').");
        }

        ValidateAuthentication(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateAuthentication(ElasticsearchOptions options, List<string> failures)
    {
        const string auth = ElasticsearchOptions.SectionName + ":Authentication";
        var a = options.Authentication;
        switch (a.Mode)
        {
            case ElasticsearchAuthenticationMode.ApiKey when string.IsNullOrWhiteSpace(a.ApiKey):
                failures.Add($"{auth}:ApiKey is required when Authentication:Mode is ApiKey.");
                break;
            case ElasticsearchAuthenticationMode.Basic:
                if (string.IsNullOrWhiteSpace(a.Username))
                {
                    failures.Add($"{auth}:Username is required when Authentication:Mode is Basic.");
                }

                if (string.IsNullOrEmpty(a.Password))
                {
                    failures.Add($"{auth}:Password is required when Authentication:Mode is Basic.");
                }

                break;
            case ElasticsearchAuthenticationMode.AwsSigV4:
                if (!AwsRegion().IsMatch(a.Region ?? ""))
                {
                    failures.Add($"{auth}:Region is required when Authentication:Mode is AwsSigV4 and must look like eu-west-1 (got '{a.Region}').");
                }

                if (string.IsNullOrWhiteSpace(a.Service))
                {
                    failures.Add($"{auth}:Service must be the SigV4 signing name when Authentication:Mode is AwsSigV4 (es, or aoss for Serverless).");
                }

                break;
        }

        if (!Enum.IsDefined(a.Mode))
        {
            failures.Add($"{auth}:Mode must be None, ApiKey, Basic or AwsSigV4.");
        }
    }

    [GeneratedRegex("^[0-9]+(d|h|m|s|ms|micros|nanos)\\z")]
    private static partial Regex TimeUnit();

    [GeneratedRegex("^[a-z]{2,}(-[a-z]+)+-[0-9]+\\z")]
    private static partial Regex AwsRegion();
}
