using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;
using Portal.Aws.Accounts;
using Portal.Aws.Protocol;
using Portal.Aws.Signing;
using Portal.Aws.Sso;
using Portal.Core.Alarms;

namespace Portal.Aws.SdkBridge;

/// <summary>
/// AWSSDK.Core's <see cref="ICoreAmazonSSO"/> over Portal's <see cref="SsoClient"/>, registered in place of
/// AWSSDK.SSO's client: the SDK's <see cref="SSOAWSCredentials"/> (an SSO profile after <c>aws sso login</c>) reads
/// the cached access token itself and asks this for the role's credentials. The endpoint is
/// <c>AWS_ENDPOINT_URL_SSO</c> if set, else <c>portal.sso.{sso_region}.amazonaws.com</c>.
/// </summary>
/// <param name="environment">Where endpoint variables are read; the process environment by default.</param>
internal sealed class SdkSsoService(string region, TimeProvider clock, AwsEndpointVariables? environment = null) : ICoreAmazonSSO
{
    public async Task<ImmutableCredentials> CredentialsFromSsoAccessTokenAsync(string accountId, string roleName, string accessToken,
        IDictionary<string, object> additionalProperties)
    {
        var client = new SsoClient(AwsSdkBridge.Transport(Endpoint(region, environment), clock));
        try
        {
            var credentials = await client.GetRoleCredentialsAsync(accountId, roleName, accessToken, CancellationToken.None);
            // The SDK's SSO provider accepts only this type, for the expiration it carries.
            return new SSOImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, credentials.Expiration.UtcDateTime);
        }
        catch (AlarmSourceException ex)
        {
            throw new AwsCredentialSourceException(ex.Message, ex);
        }
    }

    /// <exception cref="AwsCredentialSourceException">AWS_ENDPOINT_URL_SSO is invalid.</exception>
    internal static Uri Endpoint(string region, AwsEndpointVariables? environment = null) =>
        AwsSdkBridge.Configured(environment, "SSO") ?? AwsAccount.DefaultEndpoint("portal.sso", region);
}
