using Amazon.Runtime;
using Portal.Aws.CloudTrail;
using Portal.Aws.CloudWatch;
using Portal.Aws.Protocol;
using Portal.Aws.Signing;
using Portal.Aws.Sts;

namespace Portal.Aws.Accounts;

/// <summary>
/// Builds each account's clients: an <see cref="HttpClient"/> per service whose pipeline is the
/// <see cref="AwsSigV4SigningHandler"/> (signing name, region, the account's credentials) on top of the pooled
/// primary handler of the <see cref="HttpClientName"/> client, and the thin clients over it.
/// </summary>
public sealed class AwsClientFactory(IHttpMessageHandlerFactory handlers, AwsRetryPolicy retry, TimeSpan requestTimeout, TimeProvider clock)
{
    /// <summary>The named client whose primary handler every AWS call goes through.</summary>
    public const string HttpClientName = "Portal.Aws";

    public AwsAccountClients Create(AwsAccount account) => new(
        account,
        new CloudWatchClient(Transport(account.Name, account.CloudWatchEndpoint, account.Region, AwsJsonService.CloudWatch.SigningName, account.Credentials)),
        new CloudTrailClient(Transport(account.Name, account.CloudTrailEndpoint, account.Region, AwsJsonService.CloudTrail.SigningName, account.Credentials)));

    /// <summary>
    /// The runtime account for a configured one: credentials from the default chain, or, with a <c>RoleArn</c>, the
    /// role assumed with the chain's credentials (<see cref="AssumedRoleCredentials"/>).
    /// </summary>
    public AwsAccount FromOptions(AwsAccountOptions options)
    {
        var name = options.Name!;
        var region = options.Region!;
        Func<AWSCredentials> credentials = () => AwsCredentialChain.Default;
        if (options.RoleArn is { } roleArn)
        {
            var sts = new StsClient(Transport(name, options.StsEndpoint ?? AwsAccount.DefaultEndpoint("sts", region), region, "sts", credentials));
            var assumed = new AssumedRoleCredentials(sts, new AssumeRoleRequest
            {
                RoleArn = roleArn,
                RoleSessionName = SessionName(name),
                ExternalId = options.ExternalId,
                DurationSeconds = options.SessionDurationSeconds,
            }, clock);
            credentials = () => assumed;
        }

        return new AwsAccount(name, region, credentials, options.Environments, options.CloudWatchEndpoint, options.CloudTrailEndpoint);
    }

    /// <summary><c>portal-{account}</c>, cut to STS's 64 characters: it shows in the role's CloudTrail events.</summary>
    public static string SessionName(string account)
    {
        var name = "portal-" + account;
        return name.Length <= 64 ? name : name[..64];
    }

    private AwsTransport Transport(string account, Uri endpoint, string region, string signingName, Func<AWSCredentials> credentials)
    {
        var signing = new AwsSigV4SigningHandler(region, signingName, credentials, clock) { InnerHandler = handlers.CreateHandler(HttpClientName) };
        var http = new HttpClient(signing, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        return new AwsTransport(http, account, endpoint, retry, requestTimeout, clock);
    }
}
