using Amazon.Runtime.SharedInterfaces;
using Portal.Aws.Accounts;
using Portal.Aws.Protocol;
using Portal.Aws.Signing;
using Portal.Aws.Sso;
using Portal.Core.Alarms;

namespace Portal.Aws.SdkBridge;

/// <summary>
/// AWSSDK.Core's <see cref="ICoreAmazonSSOOIDC"/> over Portal's <see cref="SsoOidcClient"/>, registered in place of
/// AWSSDK.SSOOIDC's client. The SDK's token manager calls <see cref="RefreshTokenAsync"/> when the cached access token
/// nears its expiry and writes the renewed one back to the cache. A new sign-in (<see cref="GetSsoTokenAsync"/>) needs
/// a person at a browser, so it fails with the command to run. The endpoint is <c>AWS_ENDPOINT_URL_SSO_OIDC</c> if
/// set, else <c>oidc.{sso_region}.amazonaws.com</c>.
/// </summary>
/// <param name="environment">Where endpoint variables are read; the process environment by default.</param>
internal sealed class SdkSsoOidcService(string region, TimeProvider clock, AwsEndpointVariables? environment = null) : ICoreAmazonSSOOIDC
{
    public Task<GetSsoTokenResponse> GetSsoTokenAsync(GetSsoTokenRequest getSsoTokenRequest) =>
        Task.FromException<GetSsoTokenResponse>(new AwsCredentialSourceException(
            $"There is no valid IAM Identity Center sign-in for {getSsoTokenRequest?.StartUrl}; Portal cannot open a browser to sign in. "
            + "Run aws sso login for the profile, then restart Portal or wait for its next attempt."));

    public async Task<GetSsoTokenResponse> RefreshTokenAsync(GetSsoTokenResponse previousResponse)
    {
        if (string.IsNullOrEmpty(previousResponse.RefreshToken) || string.IsNullOrEmpty(previousResponse.ClientId) || string.IsNullOrEmpty(previousResponse.ClientSecret))
        {
            throw new AwsCredentialSourceException(
                "The cached IAM Identity Center sign-in cannot be renewed (it has no refresh token or client registration); run aws sso login.");
        }

        var client = new SsoOidcClient(AwsSdkBridge.Transport(Endpoint(region, environment), clock));
        SsoAccessToken renewed;
        try
        {
            renewed = await client.RefreshTokenAsync(previousResponse.ClientId, previousResponse.ClientSecret, previousResponse.RefreshToken, CancellationToken.None);
        }
        catch (AlarmSourceException ex)
        {
            throw new AwsCredentialSourceException(ex.Message, ex);
        }

        return new GetSsoTokenResponse
        {
            AccessToken = renewed.AccessToken,
            ExpiresAt = (clock.GetUtcNow() + renewed.ExpiresIn).UtcDateTime,
            RefreshToken = renewed.RefreshToken ?? previousResponse.RefreshToken,
            ClientId = previousResponse.ClientId,
            ClientSecret = previousResponse.ClientSecret,
            RegistrationExpiresAt = previousResponse.RegistrationExpiresAt,
            Region = previousResponse.Region ?? region,
            StartUrl = previousResponse.StartUrl,
        };
    }

    /// <exception cref="AwsCredentialSourceException">AWS_ENDPOINT_URL_SSO_OIDC is invalid.</exception>
    internal static Uri Endpoint(string region, AwsEndpointVariables? environment = null) =>
        AwsSdkBridge.Configured(environment, "SSO_OIDC") ?? AwsAccount.DefaultEndpoint("oidc", region);
}
