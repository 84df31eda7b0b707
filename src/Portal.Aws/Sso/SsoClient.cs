using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Aws.Protocol;
using Portal.Aws.Sts;
using Portal.Core.Alarms;

namespace Portal.Aws.Sso;

/// <summary>
/// A thin client of IAM Identity Center's portal API (<c>sso</c>, rest-json; AWSSDK.SSO is not on the mirror), for
/// its one call an SSO profile needs: <c>GetRoleCredentials</c>, a <c>GET /federation/credentials</c> authorised by
/// the access token <c>aws sso login</c> cached, sent in <c>x-amz-sso_bearer_token</c> and not signed with SigV4.
/// An expired or revoked sign-in is a <see cref="AwsFailure.Credentials"/> failure that says to sign in again.
/// </summary>
public sealed class SsoClient(AwsTransport transport)
{
    public const string BearerTokenHeader = "x-amz-sso_bearer_token";

    /// <summary>The short-term credentials of <paramref name="roleName"/> (a permission set) in <paramref name="accountId"/>.</summary>
    public async Task<StsCredentials> GetRoleCredentialsAsync(string accountId, string roleName, string accessToken, CancellationToken ct)
    {
        var call = new AwsCall(transport.Account, "IAM Identity Center", "GetRoleCredentials", "sso:GetRoleCredentials", transport.Endpoint);
        var uri = new Uri(transport.RequestUri,
            $"federation/credentials?account_id={Uri.EscapeDataString(accountId)}&role_name={Uri.EscapeDataString(roleName)}");
        AwsServiceError? refusal = null;
        byte[] body;
        try
        {
            body = (await transport.SendAsync(
                call,
                () =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Get, uri);
                    request.Headers.TryAddWithoutValidation(BearerTokenHeader, accessToken);
                    return request;
                },
                (response, bytes) => refusal = SsoErrors.Parse(response, bytes),
                null,
                ct))!;
        }
        catch (AlarmSourceException ex) when (refusal is { } error && !AwsRetryPolicy.IsRetryable(error))
        {
            throw new AlarmSourceException(error.Code == "InvalidRequestException" ? AwsFailure.InvalidRequest : AwsFailure.Credentials,
                Refusal(accountId, roleName, error), ex);
        }

        try
        {
            var answer = JsonSerializer.Deserialize<GetRoleCredentialsAnswer>(body, SsoErrors.Json)?.RoleCredentials
                ?? throw new InvalidDataException("The answer has no roleCredentials.");
            return new StsCredentials(
                Required(answer.AccessKeyId, "accessKeyId"),
                Required(answer.SecretAccessKey, "secretAccessKey"),
                Required(answer.SessionToken, "sessionToken"),
                DateTimeOffset.FromUnixTimeMilliseconds(answer.Expiration ?? throw new InvalidDataException("The roleCredentials have no expiration.")));
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or ArgumentOutOfRangeException)
        {
            throw AwsFailures.Malformed(call, ex);
        }
    }

    private static string Refusal(string accountId, string roleName, AwsServiceError error) => error.Code switch
    {
        "UnauthorizedException" or "401" =>
            $"The IAM Identity Center sign-in has expired or was revoked ({error.Code}); sign in again with aws sso login.",
        "ResourceNotFoundException" or "404" =>
            $"IAM Identity Center has no role '{roleName}' in account {accountId} for the signed-in user ({error.Code}); check sso_account_id and sso_role_name.",
        _ => $"IAM Identity Center refused credentials for role '{roleName}' in account {accountId} ({error.Code}). {AwsFailures.Quote("IAM Identity Center", error.Message)}".TrimEnd(),
    };

    private static string Required(string? value, string name) =>
        string.IsNullOrEmpty(value) ? throw new InvalidDataException($"The roleCredentials have no {name}.") : value;

    private sealed record GetRoleCredentialsAnswer([property: JsonPropertyName("roleCredentials")] RoleCredentials? RoleCredentials);

    private sealed record RoleCredentials(
        [property: JsonPropertyName("accessKeyId")] string? AccessKeyId,
        [property: JsonPropertyName("secretAccessKey")] string? SecretAccessKey,
        [property: JsonPropertyName("sessionToken")] string? SessionToken,
        [property: JsonPropertyName("expiration")] long? Expiration);
}
