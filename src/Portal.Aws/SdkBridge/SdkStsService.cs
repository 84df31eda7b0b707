using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;
using Portal.Aws.Protocol;
using Portal.Aws.Signing;
using Portal.Aws.Sts;
using Portal.Core.Alarms;

namespace Portal.Aws.SdkBridge;

/// <summary>
/// AWSSDK.Core's <see cref="ICoreAmazonSTS"/> over Portal's <see cref="StsClient"/>, registered in place of
/// AWSSDK.SecurityToken's client. It serves <c>AssumeRoleWithWebIdentity</c>, which the SDK's
/// <see cref="AssumeRoleWithWebIdentityCredentials"/> calls for IRSA (<c>AWS_WEB_IDENTITY_TOKEN_FILE</c> with
/// <c>AWS_ROLE_ARN</c>) and for profiles with <c>web_identity_token_file</c>. The endpoint is read from the
/// environment on every call (<see cref="StsEndpoint.FromEnvironment"/>).
/// </summary>
/// <param name="environment">Where endpoint variables are read; the process environment by default.</param>
internal sealed class SdkStsService(TimeProvider clock, AwsEndpointVariables? environment = null) : ICoreAmazonSTS
{
    public AssumeRoleImmutableCredentials CredentialsFromAssumeRoleWithWebIdentityAuthentication(
        string webIdentityToken, string roleArn, string roleSessionName, AssumeRoleWithWebIdentityCredentialsOptions options) =>
        CredentialsFromAssumeRoleWithWebIdentityAuthenticationAsync(webIdentityToken, roleArn, roleSessionName, options).GetAwaiter().GetResult();

    public async Task<AssumeRoleImmutableCredentials> CredentialsFromAssumeRoleWithWebIdentityAuthenticationAsync(
        string webIdentityToken, string roleArn, string roleSessionName, AssumeRoleWithWebIdentityCredentialsOptions options)
    {
        var sts = new StsClient(AwsSdkBridge.Transport(AwsSdkBridge.Endpoint(environment), credentials: null, clock));
        AssumeRoleWithWebIdentityResponse response;
        try
        {
            response = await sts.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
            {
                RoleArn = roleArn,
                RoleSessionName = roleSessionName,
                // Kubernetes writes the projected token without a newline, but a hand-made file often ends with one.
                WebIdentityToken = webIdentityToken.Trim(),
                DurationSeconds = options?.DurationSeconds,
                ProviderId = options?.ProviderId,
                Policy = options?.Policy,
                PolicyArns = options?.PolicyArns ?? [],
            }, CancellationToken.None);
        }
        catch (AlarmSourceException ex)
        {
            throw new AwsCredentialSourceException(ex.Message, ex);
        }

        var credentials = response.Credentials;
        return new AssumeRoleImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, credentials.Expiration.UtcDateTime);
    }

    /// <summary>
    /// Not served here: the SDK passes no source credentials with this call, so it cannot be signed correctly.
    /// <see cref="AwsSdkBridge.Adapt"/> replaces the chain's profile roles before they get here.
    /// </summary>
    public AssumeRoleImmutableCredentials CredentialsFromAssumeRoleAuthentication(string roleArn, string roleSessionName, AssumeRoleAWSCredentialsOptions options) =>
        throw UnsignableAssumeRole(roleArn);

    public Task<AssumeRoleImmutableCredentials> CredentialsFromAssumeRoleAuthenticationAsync(string roleArn, string roleSessionName, AssumeRoleAWSCredentialsOptions options) =>
        Task.FromException<AssumeRoleImmutableCredentials>(UnsignableAssumeRole(roleArn));

    /// <summary>Not served: SAML federation through an ADFS endpoint is AWSSDK.SecurityToken's own flow.</summary>
    public SAMLImmutableCredentials CredentialsFromSAMLAuthentication(string endpoint, string authenticationType, string roleARN, TimeSpan credentialDuration,
        ICredentials userCredential) => throw Saml(roleARN);

    public Task<SAMLImmutableCredentials> CredentialsFromSAMLAuthenticationAsync(string endpoint, string authenticationType, string roleARN, TimeSpan credentialDuration,
        ICredentials userCredential) => Task.FromException<SAMLImmutableCredentials>(Saml(roleARN));

    private static AwsCredentialSourceException UnsignableAssumeRole(string roleArn) => new(
        $"Role {roleArn} was to be assumed through AWSSDK.Core's AssumeRoleAWSCredentials, which does not hand Portal the source credentials "
        + "to sign AssumeRole with. Resolve credentials through Portal's AwsCredentialChain, which assumes profile roles itself.");

    private static AwsCredentialSourceException Saml(string roleArn) => new(
        $"Role {roleArn} is configured for SAML federation (a saml profile), which Portal does not support; use web identity, a profile role or SSO.");
}
