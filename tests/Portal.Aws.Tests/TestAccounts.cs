using Amazon.Runtime;
using Portal.Aws.Accounts;
using Portal.Aws.CloudTrail;
using Portal.Aws.CloudWatch;
using Portal.Aws.Protocol;
using Portal.Aws.Signing;

namespace Portal.Aws.Tests;

/// <summary>Back-offs a test can read without anyone sleeping.</summary>
internal sealed class RecordedDelays
{
    private readonly List<TimeSpan> _delays = [];

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (_delays)
            {
                return [.. _delays];
            }
        }
    }

    /// <summary>A policy of <paramref name="maxAttempts"/> whose random draw is <paramref name="draw"/> and whose waits are recorded, not slept.</summary>
    public AwsRetryPolicy Policy(int maxAttempts = 3, double draw = 0.5) => new(maxAttempts, random: () => draw, delay: (wait, _) =>
    {
        lock (_delays)
        {
            _delays.Add(wait);
        }

        return Task.CompletedTask;
    });
}

/// <summary>Accounts and clients wired to fakes the way production wires them: a signing handler over a real HTTP stack.</summary>
internal static class TestAccounts
{
    public const string AccessKey = "AKIDEXAMPLEPORTAL";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    public static AWSCredentials Static { get; } = new BasicAWSCredentials(AccessKey, SecretKey);

    public static AwsTransport Transport(Uri endpoint, string signingName, AwsRetryPolicy? retry = null, Func<AWSCredentials>? credentials = null,
        string account = "prod", TimeSpan? timeout = null, TimeProvider? clock = null)
    {
        var time = clock ?? TimeProvider.System;
        var http = new HttpClient(new AwsSigV4SigningHandler("us-east-1", signingName, credentials ?? (() => Static), time) { InnerHandler = new SocketsHttpHandler() })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        return new AwsTransport(http, account, endpoint, retry ?? new RecordedDelays().Policy(), timeout ?? TimeSpan.FromSeconds(10), time);
    }

    /// <summary>A transport without the signing handler, for the calls AWS authorises otherwise (web identity, SSO bearer tokens).</summary>
    public static AwsTransport UnsignedTransport(Uri endpoint, AwsRetryPolicy? retry = null, TimeProvider? clock = null) => new(
        new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan },
        "prod",
        endpoint,
        retry ?? new RecordedDelays().Policy(),
        TimeSpan.FromSeconds(10),
        clock ?? TimeProvider.System);

    public static CloudWatchClient CloudWatch(Uri endpoint, AwsRetryPolicy? retry = null, Func<AWSCredentials>? credentials = null, string account = "prod") =>
        new(Transport(endpoint, "monitoring", retry, credentials, account));

    public static CloudTrailClient CloudTrail(Uri endpoint, AwsRetryPolicy? retry = null, string account = "prod") =>
        new(Transport(endpoint, "cloudtrail", retry, account: account));

    /// <summary>An account whose CloudWatch and CloudTrail are both <paramref name="endpoint"/>.</summary>
    public static AwsAccountClients Clients(string name, Uri endpoint, IReadOnlyList<string>? environments = null, AwsRetryPolicy? retry = null) => new(
        new AwsAccount(name, "us-east-1", () => Static, environments, endpoint, endpoint),
        CloudWatch(endpoint, retry, account: name),
        CloudTrail(endpoint, retry, account: name));
}
