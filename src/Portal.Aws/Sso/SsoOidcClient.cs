using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Aws.Protocol;
using Portal.Core.Alarms;

namespace Portal.Aws.Sso;

/// <summary>
/// A thin client of IAM Identity Center's OIDC API (<c>sso-oidc</c>, rest-json; AWSSDK.SSOOIDC is not on the mirror)
/// for the one call a server can make: <c>CreateToken</c> with the <c>refresh_token</c> grant, which renews the
/// access token <c>aws sso login</c> cached. Signing in anew (the device or PKCE flow) needs a person and a browser.
/// </summary>
public sealed class SsoOidcClient(AwsTransport transport)
{
    public async Task<SsoAccessToken> RefreshTokenAsync(string clientId, string clientSecret, string refreshToken, CancellationToken ct)
    {
        var call = new AwsCall(transport.Account, "IAM Identity Center OIDC", "CreateToken", "sso-oauth:CreateToken", transport.Endpoint);
        var payload = new CreateTokenRequest(clientId, clientSecret, "refresh_token", refreshToken);
        AwsServiceError? refusal = null;
        byte[] body;
        try
        {
            body = (await transport.SendAsync(
                call,
                () => new HttpRequestMessage(HttpMethod.Post, new Uri(transport.RequestUri, "token")) { Content = JsonContent.Create(payload) },
                (response, bytes) => refusal = SsoErrors.Parse(response, bytes),
                null,
                ct))!;
        }
        catch (AlarmSourceException ex) when (refusal is { } error && !AwsRetryPolicy.IsRetryable(error))
        {
            throw new AlarmSourceException(AwsFailure.Credentials,
                $"The IAM Identity Center session could not be renewed ({error.Code}): it has expired or was revoked; sign in again with aws sso login.", ex);
        }

        try
        {
            var answer = JsonSerializer.Deserialize<CreateTokenAnswer>(body, SsoErrors.Json) ?? throw new InvalidDataException("The answer is empty.");
            return new SsoAccessToken(
                string.IsNullOrEmpty(answer.AccessToken) ? throw new InvalidDataException("The answer has no accessToken.") : answer.AccessToken,
                TimeSpan.FromSeconds(answer.ExpiresIn ?? throw new InvalidDataException("The answer has no expiresIn.")),
                string.IsNullOrEmpty(answer.RefreshToken) ? null : answer.RefreshToken);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            throw AwsFailures.Malformed(call, ex);
        }
    }

    private sealed record CreateTokenRequest(
        [property: JsonPropertyName("clientId")] string ClientId,
        [property: JsonPropertyName("clientSecret")] string ClientSecret,
        [property: JsonPropertyName("grantType")] string GrantType,
        [property: JsonPropertyName("refreshToken")] string RefreshToken);

    private sealed record CreateTokenAnswer(
        [property: JsonPropertyName("accessToken")] string? AccessToken,
        [property: JsonPropertyName("expiresIn")] int? ExpiresIn,
        [property: JsonPropertyName("refreshToken")] string? RefreshToken);
}

/// <summary>A renewed access token. <see cref="ToString"/> leaves the tokens out.</summary>
/// <param name="RefreshToken">A new refresh token, when the service rotated it; null to keep the old one.</param>
public sealed record SsoAccessToken(string AccessToken, TimeSpan ExpiresIn, string? RefreshToken)
{
    public override string ToString() => $"SsoAccessToken {{ ExpiresIn = {ExpiresIn} }}";
}
