namespace Portal.Aws.Accounts;

/// <summary>Section <c>Aws</c>: the accounts Portal reads CloudWatch alarms and CloudTrail events from, and how it calls them.</summary>
public sealed class AwsOptions
{
    public const string SectionName = "Aws";

    public List<AwsAccountOptions> Accounts { get; set; } = [];

    /// <summary>Attempts per call, the first included, before a throttled or failing call is given up.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>One account and region (<c>Aws:Accounts:N</c>). Credentials come from the AWS SDK's default chain.</summary>
public sealed class AwsAccountOptions
{
    /// <summary>How Portal names the account: in alarms, trail events and messages.</summary>
    public string? Name { get; set; }

    public string? Region { get; set; }

    /// <summary>A role to assume with the chain's credentials (cross-account access); unset, the chain's own identity is used.</summary>
    public string? RoleArn { get; set; }

    /// <summary>The external id the role's trust policy requires, if any.</summary>
    public string? ExternalId { get; set; }

    /// <summary>How long an assumed role's session lasts (900 s up to the role's maximum); unset, STS's default of one hour.</summary>
    public int? SessionDurationSeconds { get; set; }

    /// <summary>The Portal environments whose infrastructure runs in this account (for CloudTrail); empty means every environment.</summary>
    public List<string> Environments { get; set; } = [];

    /// <summary>Overrides <c>https://monitoring.{region}.amazonaws.com</c> (a VPC endpoint, or the embedded sandbox).</summary>
    public Uri? CloudWatchEndpoint { get; set; }

    /// <summary>Overrides <c>https://cloudtrail.{region}.amazonaws.com</c>.</summary>
    public Uri? CloudTrailEndpoint { get; set; }

    /// <summary>Overrides <c>https://sts.{region}.amazonaws.com</c>, where the role is assumed.</summary>
    public Uri? StsEndpoint { get; set; }
}
