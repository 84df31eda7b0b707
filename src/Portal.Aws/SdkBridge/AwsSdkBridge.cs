using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.RuntimeDependencies;
using Portal.Aws.Protocol;
using Portal.Aws.Signing;
using Portal.Aws.Sts;
using Portal.Core.Alarms;
using Portal.Core.Http;

namespace Portal.Aws.SdkBridge;

/// <summary>
/// Lets AWSSDK.Core's default credential chain use web identity (IRSA on EKS), profile roles and SSO profiles
/// without the AWSSDK.SecurityToken, AWSSDK.SSO and AWSSDK.SSOOIDC packages the mirror lacks. The SDK loads those
/// clients by reflection unless an implementation of its shared interfaces is registered in
/// <see cref="GlobalRuntimeDependencyRegistry"/>; <see cref="Register"/> registers Portal's thin clients there.
/// </summary>
/// <remarks>
/// The registry hands a registered STS client only the region, not the source credentials an <c>AssumeRole</c> must be
/// signed with, so a profile role (<c>role_arn</c> with <c>source_profile</c> or <c>credential_source</c>) cannot be
/// served through it. <see cref="Adapt"/> replaces such credentials, as the chain resolves them, with
/// <see cref="AssumedRoleCredentials"/> signed with the resolved source credentials.
/// </remarks>
public static class AwsSdkBridge
{
    /// <summary>How the chain's own calls are named in failure messages.</summary>
    internal const string ChainAccount = "default credential chain";

    /// <summary>One attempt of a credential call; three attempts in all.</summary>
    internal static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    private static readonly Lazy<bool> Registration = new(RegisterOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Pooled connections for every credential call; a followed redirect would carry a signature made for the first URL.</summary>
    internal static readonly HttpMessageHandler Connections = new ConnectionErrorHandler(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    });

    /// <summary>Registers Portal's STS, SSO and SSO OIDC clients with AWSSDK.Core, once per process; safe to call from any thread.</summary>
    public static void Register() => _ = Registration.Value;

    /// <summary>
    /// The credentials the chain resolved, with every profile role in them (including role chains) replaced by
    /// <see cref="AssumedRoleCredentials"/> whose <c>AssumeRole</c> is signed with the role's source credentials and
    /// whose failures surface as <see cref="AwsCredentialSourceException"/>. Anything else is returned as it is.
    /// </summary>
    /// <exception cref="AwsCredentialSourceException">The role needs an MFA code, or the STS endpoint variables are invalid.</exception>
    public static AWSCredentials Adapt(AWSCredentials credentials, TimeProvider? clock = null) => credentials switch
    {
        AssumeRoleAWSCredentials role => ProfileRole(role, clock ?? TimeProvider.System),
        _ => credentials,
    };

    private static bool RegisterOnce()
    {
        var registry = GlobalRuntimeDependencyRegistry.Instance;
        var clock = TimeProvider.System;
        registry.RegisterSecurityTokenServiceClient(new SdkStsService(clock));
        registry.RegisterSSOClient(context => new SdkSsoService(SsoRegion(context.SSOClientContextData?.Region), clock));
        registry.RegisterSSOOIDCClient(context => new SdkSsoOidcService(SsoRegion(context.SSOOIDCClientContextData?.Region), clock));
        return true;
    }

    private static AWSCredentials ProfileRole(AssumeRoleAWSCredentials role, TimeProvider clock)
    {
        if (role.Options?.MfaSerialNumber is not null)
        {
            throw new AwsCredentialSourceException(
                $"Role {role.RoleArn} requires an MFA code (mfa_serial), which a server cannot be prompted for; give Portal a role without MFA.");
        }

        var source = Adapt(role.SourceCredentials, clock);
        var endpoint = Endpoint();
        var sts = new StsClient(Transport(endpoint, () => source, clock));
        var assumed = new AssumedRoleCredentials(sts, new AssumeRoleRequest
        {
            RoleArn = role.RoleArn,
            RoleSessionName = role.RoleSessionName,
            ExternalId = role.Options?.ExternalId,
            DurationSeconds = role.Options?.DurationSeconds,
        }, clock);
        return new ChainCredentials(assumed);
    }

    /// <exception cref="AwsCredentialSourceException">An endpoint variable is invalid.</exception>
    internal static StsEndpoint Endpoint(AwsEndpointVariables? environment = null)
    {
        try
        {
            return StsEndpoint.FromEnvironment(environment);
        }
        catch (InvalidOperationException ex)
        {
            throw new AwsCredentialSourceException($"STS cannot be called for credentials: {ex.Message}", ex);
        }
    }

    /// <summary>The endpoint configured for <paramref name="serviceId"/> in the environment, or null.</summary>
    /// <exception cref="AwsCredentialSourceException">The variable is invalid.</exception>
    internal static Uri? Configured(AwsEndpointVariables? environment, string serviceId)
    {
        try
        {
            return (environment ?? new AwsEndpointVariables()).Endpoint(serviceId);
        }
        catch (InvalidOperationException ex)
        {
            throw new AwsCredentialSourceException($"IAM Identity Center cannot be called for credentials: {ex.Message}", ex);
        }
    }

    private static string SsoRegion(RegionEndpoint? region) =>
        region?.SystemName ?? throw new AwsCredentialSourceException("The SSO profile names no sso_region; set it as aws configure sso does.");

    /// <summary>A transport to <paramref name="endpoint"/>, signed with <paramref name="credentials"/> for STS, or unsigned without them.</summary>
    internal static AwsTransport Transport(StsEndpoint endpoint, Func<AWSCredentials>? credentials, TimeProvider clock)
    {
        HttpMessageHandler handler = credentials is null
            ? Connections
            : new AwsSigV4SigningHandler(endpoint.SigningRegion, "sts", credentials, clock) { InnerHandler = Connections };
        return Transport(endpoint.Url, handler, clock);
    }

    /// <summary>An unsigned transport to <paramref name="endpoint"/> (SSO's bearer-token calls).</summary>
    internal static AwsTransport Transport(Uri endpoint, TimeProvider clock) => Transport(endpoint, Connections, clock);

    private static AwsTransport Transport(Uri endpoint, HttpMessageHandler handler, TimeProvider clock) => new(
        new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan },
        ChainAccount,
        endpoint,
        new AwsRetryPolicy(clock: clock),
        AttemptTimeout,
        clock);

    /// <summary>
    /// Reports a failed credential call the way AWSSDK.Core's providers fail, as an <see cref="AmazonClientException"/>
    /// (<see cref="AwsCredentialSourceException"/>), so that every SigV4 caller, not only the alarm adapters, handles it.
    /// </summary>
    private sealed class ChainCredentials(AWSCredentials inner) : AWSCredentials
    {
        public override ImmutableCredentials GetCredentials() => GetCredentialsAsync().GetAwaiter().GetResult();

        public override async Task<ImmutableCredentials> GetCredentialsAsync()
        {
            try
            {
                return await inner.GetCredentialsAsync();
            }
            catch (AlarmSourceException ex)
            {
                throw new AwsCredentialSourceException(ex.Message, ex);
            }
        }
    }
}
