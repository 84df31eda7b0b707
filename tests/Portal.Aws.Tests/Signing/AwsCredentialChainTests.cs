using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Portal.Aws.CloudWatch;
using Portal.Aws.Signing;
using Portal.Core.Alarms;
using Portal.Testing;

namespace Portal.Aws.Tests.Signing;

/// <summary>
/// The SDK's default chain end to end with Portal's STS and SSO clients registered in its place: real environment
/// variables and profile files, a fresh resolver per test (<see cref="AwsCredentialChain.Resolve"/>), and the calls
/// arriving at a loopback fake as the wire carries them.
/// </summary>
[Collection(AwsEnvironmentCollection.Name)]
public sealed class AwsCredentialChainTests : IAsyncLifetime
{
    private const string WebIdentityRole = "arn:aws:iam::123456789012:role/portal-irsa";
    private const string Token = "eyJhbGciOiJSUzI1NiIsImtpZCI6IkVYQU1QTEUifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6cG9ydGFsOnBvcnRhbCJ9.c2lnbmF0dXJl";

    private FakeAws _fake = null!;
    private int _issued;

    public async Task InitializeAsync() => _fake = await FakeAws.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static AwsEnvironment Environment(params (string Name, string Value)[] variables) => new(variables.ToDictionary(v => v.Name, v => v.Value));

    private static string TokenFile => Path.Combine(AwsEnvironment.Home, "token");

    private static string InAnHour() => DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>The documented STS response for <paramref name="file"/>, with keys numbered per call and an expiration an hour from now.</summary>
    private FakeReply Issue(string file)
    {
        var n = Interlocked.Increment(ref _issued);
        return FakeReply.Ok(ReferenceData.Text(file)
            .Replace("ASgeIAIOSFODNN7EXAMPLE", $"ASIAISSUED{n}", StringComparison.Ordinal)
            .Replace("ASIAIOSFODNN7EXAMPLE", $"ASIAISSUED{n}", StringComparison.Ordinal)
            .Replace("AQoDYXdz", $"TOKEN{n}-", StringComparison.Ordinal)
            .Replace("2026-11-22T10:00:00Z", InAnHour(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resolve_WebIdentityEnvironment_ExchangesTheTokenAtTheConfiguredStsAndReturnsItsCredentials()
    {
        _fake.Responder = _ => Issue("Sts/assume-role-with-web-identity.response.xml");
        using var _ = Environment(
            ("AWS_WEB_IDENTITY_TOKEN_FILE", TokenFile), ("AWS_ROLE_ARN", WebIdentityRole), ("AWS_ROLE_SESSION_NAME", "portal-pod"),
            ("AWS_REGION", "eu-west-1"), ("AWS_ENDPOINT_URL_STS", _fake.Url.ToString()));
        AwsEnvironment.Write("token", Token);

        var credentials = await AwsCredentialChain.Resolve().GetCredentialsAsync();

        credentials.AccessKey.ShouldBe("ASIAISSUED1");
        credentials.SecretKey.ShouldBe("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
        credentials.Token.ShouldBe("TOKEN1-EE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE");
        var sent = _fake.Requests.Single();
        sent.Method.ShouldBe("POST");
        sent.Path.ShouldBe("/");
        sent.Header("Content-Type").ShouldBe("application/x-www-form-urlencoded");
        sent.Header("Authorization").ShouldBeNull();
        sent.Body.ShouldBe("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fportal-irsa"
            + "&RoleSessionName=portal-pod&WebIdentityToken=" + Uri.EscapeDataString(Token));
    }

    [Fact]
    public async Task Resolve_WebIdentityRefused_CloudWatchCallFailsWithTheReasonAndWithoutTheToken()
    {
        _fake.Responder = _ => new FakeReply(400, ReferenceData.Text("Sts/assume-role-with-web-identity.invalid-token.xml"));
        await using var cloudWatch = await FakeAws.StartAsync();
        using var _ = Environment(
            ("AWS_WEB_IDENTITY_TOKEN_FILE", TokenFile), ("AWS_ROLE_ARN", WebIdentityRole), ("AWS_REGION", "eu-west-1"), ("AWS_ENDPOINT_URL_STS", _fake.Url.ToString()));
        AwsEnvironment.Write("token", Token + "\n");
        var chain = AwsCredentialChain.Resolve();
        var client = TestAccounts.CloudWatch(cloudWatch.Url, credentials: () => chain);

        var error = await Should.ThrowAsync<AlarmSourceException>(() => client.DescribeAlarmsAsync(new DescribeAlarmsRequest(), CancellationToken.None));

        error.Failure.ShouldBe(AwsFailure.Credentials);
        error.Message.ShouldStartWith("No AWS credentials were found for account 'prod'");
        error.Message.ShouldContain($"STS refused to assume role {WebIdentityRole} with the web identity token (InvalidIdentityToken)");
        error.Message.ShouldNotContain(Token);
        cloudWatch.Requests.ShouldBeEmpty();
        _fake.Requests.ShouldNotBeEmpty();
        _fake.Requests.ShouldAllBe(r => r.Form["WebIdentityToken"] == Token, "the file's trailing newline is not part of the token");
    }

    [Fact]
    public async Task Resolve_ProfileRoleWithSourceProfile_AssumesTheRoleSignedWithTheSourceProfilesKeys()
    {
        _fake.Responder = _ => Issue("Sts/assume-role.response.xml");
        using var _ = Environment(("AWS_PROFILE", "reader"), ("AWS_REGION", "eu-west-1"), ("AWS_ENDPOINT_URL_STS", _fake.Url.ToString()));
        AwsEnvironment.Write(".aws/config", """
            [profile base]
            aws_access_key_id = AKIDPROFILEBASE
            aws_secret_access_key = base-secret

            [profile reader]
            role_arn = arn:aws:iam::123456789012:role/portal-reader
            source_profile = base
            external_id = portal-ext
            role_session_name = portal-profile
            """);

        var credentials = await AwsCredentialChain.Resolve().GetCredentialsAsync();

        credentials.AccessKey.ShouldBe("ASIAISSUED1");
        credentials.Token.ShouldStartWith("TOKEN1-");
        var sent = _fake.Requests.Single();
        sent.Header("Authorization")!.ShouldStartWith("AWS4-HMAC-SHA256 Credential=AKIDPROFILEBASE/");
        sent.Header("Authorization")!.ShouldContain("/eu-west-1/sts/aws4_request");
        sent.Header("X-Amz-Security-Token").ShouldBeNull();
        sent.Body.ShouldBe("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fportal-reader"
            + "&RoleSessionName=portal-profile&ExternalId=portal-ext");
    }

    [Fact]
    public async Task Resolve_ChainedProfileRoles_AssumesEachRoleWithThePreviousRolesCredentials()
    {
        _fake.Responder = _ => Issue("Sts/assume-role.response.xml");
        using var _ = Environment(("AWS_PROFILE", "auditor"), ("AWS_ENDPOINT_URL_STS", _fake.Url.ToString()));
        AwsEnvironment.Write(".aws/credentials", """
            [base]
            aws_access_key_id = AKIDPROFILEBASE
            aws_secret_access_key = base-secret
            """);
        AwsEnvironment.Write(".aws/config", """
            [profile reader]
            role_arn = arn:aws:iam::123456789012:role/portal-reader
            source_profile = base

            [profile auditor]
            role_arn = arn:aws:iam::210987654321:role/portal-auditor
            source_profile = reader
            role_session_name = portal-chained
            """);

        var credentials = await AwsCredentialChain.Resolve().GetCredentialsAsync();

        credentials.AccessKey.ShouldBe("ASIAISSUED2");
        var (first, second) = (_fake.Requests[0], _fake.Requests[1]);
        _fake.Requests.Count.ShouldBe(2);
        first.Form["RoleArn"].ShouldBe("arn:aws:iam::123456789012:role/portal-reader");
        first.Header("Authorization")!.ShouldStartWith("AWS4-HMAC-SHA256 Credential=AKIDPROFILEBASE/");
        first.Header("Authorization")!.ShouldContain("/us-east-1/sts/aws4_request", Case.Sensitive, "without a region the global endpoint signs for us-east-1");
        second.Form["RoleArn"].ShouldBe("arn:aws:iam::210987654321:role/portal-auditor");
        second.Form["RoleSessionName"].ShouldBe("portal-chained");
        second.Header("Authorization")!.ShouldStartWith("AWS4-HMAC-SHA256 Credential=ASIAISSUED1/");
        second.Header("X-Amz-Security-Token")!.ShouldStartWith("TOKEN1-");
    }

    private const string SsoConfig = """
        [profile sso]
        sso_session = corp
        sso_account_id = 111122223333
        sso_role_name = ReadOnly

        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-west-1
        sso_registration_scopes = sso:account:access
        """;

    /// <summary>The token cache <c>aws sso login</c> writes for sso-session <c>corp</c>: <c>~/.aws/sso/cache/{sha1(session)}.json</c>.</summary>
    private static string WriteSsoCache(DateTime expiresAt) => AwsEnvironment.Write(
        $".aws/sso/cache/{Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes("corp")))}.json",
        new JsonObject
        {
            ["startUrl"] = "https://corp.awsapps.com/start",
            ["region"] = "eu-west-1",
            ["accessToken"] = "cached-access-token",
            ["expiresAt"] = expiresAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["clientId"] = "registered-client-id",
            ["clientSecret"] = "registered-client-secret",
            ["registrationExpiresAt"] = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["refreshToken"] = "cached-refresh-token",
        }.ToJsonString());

    private static FakeReply RoleCredentials() => FakeReply.Ok(ReferenceData.Text("Sso/get-role-credentials.response.json")
        .Replace("1795341600000", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

    [Fact]
    public async Task Resolve_SsoProfileAfterLogin_GetsTheRoleCredentialsWithTheCachedAccessToken()
    {
        _fake.Responder = _ => RoleCredentials();
        using var _ = Environment(("AWS_PROFILE", "sso"), ("AWS_ENDPOINT_URL_SSO", _fake.Url.ToString()), ("AWS_ENDPOINT_URL_SSO_OIDC", _fake.Url.ToString()));
        AwsEnvironment.Write(".aws/config", SsoConfig);
        WriteSsoCache(DateTime.UtcNow.AddHours(2));

        var credentials = await AwsCredentialChain.Resolve().GetCredentialsAsync();

        credentials.AccessKey.ShouldBe("ASIAIOSFODNN7SSOEXAMPLE");
        credentials.SecretKey.ShouldBe("wJalrXUtnFEMI/K7MDENG/bPxRfiCYSSOEXAMPLEKEY");
        credentials.Token.ShouldBe("IQoJb3JpZ2luX2VjEXAMPLEssoSessionToken");
        var sent = _fake.Requests.Single();
        sent.Method.ShouldBe("GET");
        sent.Path.ShouldBe("/federation/credentials");
        sent.QueryParameters.ShouldBe(new Dictionary<string, string> { ["account_id"] = "111122223333", ["role_name"] = "ReadOnly" });
        sent.Header("x-amz-sso_bearer_token").ShouldBe("cached-access-token");
        sent.Header("Authorization").ShouldBeNull();
    }

    [Fact]
    public async Task Resolve_SsoProfileWithExpiredAccessToken_RenewsItWithTheRefreshTokenFirst()
    {
        _fake.Responder = request => request.Path == "/token" ? FakeReply.Ok(ReferenceData.Text("Sso/create-token.refresh.response.json")) : RoleCredentials();
        using var _ = Environment(("AWS_PROFILE", "sso"), ("AWS_ENDPOINT_URL_SSO", _fake.Url.ToString()), ("AWS_ENDPOINT_URL_SSO_OIDC", _fake.Url.ToString()));
        AwsEnvironment.Write(".aws/config", SsoConfig);
        var cache = WriteSsoCache(DateTime.UtcNow.AddMinutes(-10));

        var credentials = await AwsCredentialChain.Resolve().GetCredentialsAsync();

        credentials.AccessKey.ShouldBe("ASIAIOSFODNN7SSOEXAMPLE");
        _fake.Requests.Select(r => $"{r.Method} {r.Path}").ShouldBe(["POST /token", "GET /federation/credentials"]);
        var refresh = _fake.Requests[0];
        JsonNode.Parse(refresh.Body)!.ToJsonString().ShouldBe(new JsonObject
        {
            ["clientId"] = "registered-client-id",
            ["clientSecret"] = "registered-client-secret",
            ["grantType"] = "refresh_token",
            ["refreshToken"] = "cached-refresh-token",
        }.ToJsonString());
        _fake.Requests[1].Header("x-amz-sso_bearer_token").ShouldBe("aoaAAAAAGrenewedEXAMPLEaccessToken");
        var cached = JsonNode.Parse(File.ReadAllText(cache))!;
        cached["accessToken"]!.GetValue<string>().ShouldBe("aoaAAAAAGrenewedEXAMPLEaccessToken", "the SDK writes the renewed token back for the CLI and the next start");
        cached["refreshToken"]!.GetValue<string>().ShouldBe("aorvJYubGpU6i91YnH7Mfo-AT2fIVa1zCfA_RotatedEXAMPLE");
    }

    [Fact]
    public async Task Resolve_SsoSignInRevoked_FailsWithTheSignInAgainAdvice()
    {
        _fake.Responder = _ => new FakeReply(401, ReferenceData.Text("Sso/unauthorized.json"),
            new Dictionary<string, string> { ["X-Amzn-Errortype"] = "UnauthorizedException:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/" });
        using var _ = Environment(("AWS_PROFILE", "sso"), ("AWS_ENDPOINT_URL_SSO", _fake.Url.ToString()), ("AWS_ENDPOINT_URL_SSO_OIDC", _fake.Url.ToString()));
        AwsEnvironment.Write(".aws/config", SsoConfig);
        WriteSsoCache(DateTime.UtcNow.AddHours(2));
        var chain = AwsCredentialChain.Resolve();

        var error = await Should.ThrowAsync<AmazonClientException>(chain.GetCredentialsAsync);

        error.ShouldBeOfType<AwsCredentialSourceException>();
        error.Message.ShouldBe("The IAM Identity Center sign-in has expired or was revoked (UnauthorizedException); sign in again with aws sso login.");
        _fake.Requests.Count.ShouldBe(1, "a refused sign-in is not retried");
    }

    [Fact]
    public void Resolve_NothingConfigured_ThrowsTheSdksChainError()
    {

        using var _ = Environment();
        Should.Throw<AmazonClientException>(AwsCredentialChain.Resolve).Message.ShouldContain("Failed to resolve AWS credentials");
    }
}
