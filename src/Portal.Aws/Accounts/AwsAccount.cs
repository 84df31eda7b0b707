using Amazon.Runtime;

namespace Portal.Aws.Accounts;

/// <summary>
/// One AWS account and region as Portal calls it: its name, the environments it serves, its endpoints and where
/// its credentials come from on each request (the default chain, the chain plus an assumed role, or, for the
/// embedded sandbox, static keys).
/// </summary>
public sealed class AwsAccount
{
    public AwsAccount(string name, string region, Func<AWSCredentials> credentials, IReadOnlyList<string>? environments = null,
        Uri? cloudWatchEndpoint = null, Uri? cloudTrailEndpoint = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        Name = name;
        Region = region;
        Credentials = credentials;
        Environments = environments ?? [];
        CloudWatchEndpoint = cloudWatchEndpoint ?? DefaultEndpoint("monitoring", region);
        CloudTrailEndpoint = cloudTrailEndpoint ?? DefaultEndpoint("cloudtrail", region);
    }

    public string Name { get; }

    public string Region { get; }

    public Func<AWSCredentials> Credentials { get; }

    /// <summary>The Portal environments this account's CloudTrail covers; empty means every environment.</summary>
    public IReadOnlyList<string> Environments { get; }

    public Uri CloudWatchEndpoint { get; }

    public Uri CloudTrailEndpoint { get; }

    public bool Serves(string environment) =>
        Environments.Count == 0 || Environments.Contains(environment, StringComparer.OrdinalIgnoreCase);

    /// <summary>A service's regional endpoint: <c>https://{service}.{region}.amazonaws.com</c> (<c>.com.cn</c> in the China regions).</summary>
    public static Uri DefaultEndpoint(string endpointPrefix, string region) =>
        new($"https://{endpointPrefix}.{region}.{(region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}");
}
