using Portal.Aws.Sso;
using Portal.Core.Alarms;

namespace Portal.Aws.Tests.Sso;

public sealed class SsoClientTests : IAsyncLifetime
{
    private FakeAws _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeAws.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private SsoClient Client() => new(TestAccounts.UnsignedTransport(_fake.Url));

    private static FakeReply Error(int status, string type, string message) =>
        new(status, $$"""{"message":"{{message}}"}""", new Dictionary<string, string> { ["X-Amzn-Errortype"] = type });

    [Fact]
    public async Task GetRoleCredentialsAsync_SendsTheBearerTokenUnsignedAndReadsTheDocumentedShape()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("Sso/get-role-credentials.response.json"));

        var credentials = await Client().GetRoleCredentialsAsync("111122223333", "Read Only", "the-access-token", CancellationToken.None);

        var sent = _fake.Requests.Single();
        sent.Method.ShouldBe("GET");
        sent.Path.ShouldBe("/federation/credentials");
        sent.Query.ShouldBe("?account_id=111122223333&role_name=Read%20Only");
        sent.Header("x-amz-sso_bearer_token").ShouldBe("the-access-token");
        sent.Header("Authorization").ShouldBeNull();
        credentials.AccessKeyId.ShouldBe("ASIAIOSFODNN7SSOEXAMPLE");
        credentials.SecretAccessKey.ShouldBe("wJalrXUtnFEMI/K7MDENG/bPxRfiCYSSOEXAMPLEKEY");
        credentials.SessionToken.ShouldBe("IQoJb3JpZ2luX2VjEXAMPLEssoSessionToken");
        credentials.Expiration.ShouldBe(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task GetRoleCredentialsAsync_Unauthorized_IsCredentialsAskingForASignInWithoutTheToken()
    {
        _fake.Responder = _ => Error(401, "UnauthorizedException", "Session token not found or invalid");

        var error = await Should.ThrowAsync<AlarmSourceException>(() => Client().GetRoleCredentialsAsync("111122223333", "ReadOnly", "the-access-token", CancellationToken.None));

        error.Failure.ShouldBe(AwsFailure.Credentials);
        error.Message.ShouldContain("sign in again with aws sso login");
        error.Message.ShouldNotContain("the-access-token");
        _fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task GetRoleCredentialsAsync_RoleNotAssigned_NamesTheRoleAndAccount()
    {
        _fake.Responder = _ => Error(404, "ResourceNotFoundException", "Could not find Role");

        var error = await Should.ThrowAsync<AlarmSourceException>(() => Client().GetRoleCredentialsAsync("111122223333", "Admin", "t", CancellationToken.None));

        error.Failure.ShouldBe(AwsFailure.Credentials);
        error.Message.ShouldContain("no role 'Admin' in account 111122223333");
    }

    [Fact]
    public async Task GetRoleCredentialsAsync_Throttled_IsRetried()
    {
        _fake.Responder = FakeAws.Sequence(Error(429, "TooManyRequestsException", "Rate exceeded"), FakeReply.Ok(ReferenceData.Text("Sso/get-role-credentials.response.json")));

        var credentials = await Client().GetRoleCredentialsAsync("111122223333", "ReadOnly", "t", CancellationToken.None);

        credentials.AccessKeyId.ShouldBe("ASIAIOSFODNN7SSOEXAMPLE");
        _fake.Requests.Count.ShouldBe(2);
    }
}
