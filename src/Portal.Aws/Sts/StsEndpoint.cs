using Portal.Aws.Accounts;
using Portal.Aws.Protocol;

namespace Portal.Aws.Sts;

/// <summary>
/// Where the credential chain calls STS and the region it signs for, decided from the environment as the AWS SDKs
/// do (<see cref="AwsEndpointVariables"/>): <c>AWS_ENDPOINT_URL_STS</c> or <c>AWS_ENDPOINT_URL</c>; else the regional
/// endpoint of <c>AWS_REGION</c> or <c>AWS_DEFAULT_REGION</c> (on EKS the pod identity webhook sets both); else the
/// global <c>sts.amazonaws.com</c>, which signs for us-east-1.
/// </summary>
public sealed record StsEndpoint(Uri Url, string SigningRegion)
{
    public const string GlobalRegion = "us-east-1";

    public static readonly Uri Global = new("https://sts.amazonaws.com");

    /// <exception cref="InvalidOperationException">An endpoint variable is set but is not an absolute http(s) URL.</exception>
    public static StsEndpoint FromEnvironment(AwsEndpointVariables? environment = null)
    {
        environment ??= new AwsEndpointVariables();
        var region = environment.Region;
        if (environment.Endpoint("STS") is { } configured)
        {
            return new StsEndpoint(configured, region ?? GlobalRegion);
        }

        return region is null ? new StsEndpoint(Global, GlobalRegion) : new StsEndpoint(AwsAccount.DefaultEndpoint("sts", region), region);
    }
}
