using System.Text.Json.Nodes;
using Portal.Aws.Sso;
using Portal.Core.Alarms;

namespace Portal.Aws.Tests.Sso;

public sealed class SsoOidcClientTests : IAsyncLifetime
{
    private FakeAws _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeAws.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private SsoOidcClient Client() => new(TestAccounts.UnsignedTransport(_fake.Url));

    [Fact]
    public async Task RefreshTokenAsync_PostsTheRefreshGrantAsJsonAndReadsTheRenewedToken()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("Sso/create-token.refresh.response.json"));

        var token = await Client().RefreshTokenAsync("client-id", "client-secret", "refresh-token", CancellationToken.None);

        var sent = _fake.Requests.Single();
        sent.Method.ShouldBe("POST");
        sent.Path.ShouldBe("/token");
        sent.Header("Content-Type")!.ShouldStartWith("application/json");
        sent.Header("Authorization").ShouldBeNull();
        JsonNode.DeepEquals(JsonNode.Parse(sent.Body), JsonNode.Parse("""
            {"clientId":"client-id","clientSecret":"client-secret","grantType":"refresh_token","refreshToken":"refresh-token"}
            """)).ShouldBeTrue(sent.Body);
        token.AccessToken.ShouldBe("aoaAAAAAGrenewedEXAMPLEaccessToken");
        token.ExpiresIn.ShouldBe(TimeSpan.FromHours(8));
        token.RefreshToken.ShouldBe("aorvJYubGpU6i91YnH7Mfo-AT2fIVa1zCfA_RotatedEXAMPLE");
        token.ToString().ShouldNotContain("aoaAAAAAGrenewedEXAMPLEaccessToken");
    }

    [Fact]
    public async Task RefreshTokenAsync_InvalidGrant_IsCredentialsAskingForASignIn()
    {
        _fake.Responder = _ => new FakeReply(400, """{"error":"invalid_grant","error_description":"Invalid refresh token provided"}""",
            new Dictionary<string, string> { ["X-Amzn-Errortype"] = "InvalidGrantException" });

        var error = await Should.ThrowAsync<AlarmSourceException>(() => Client().RefreshTokenAsync("client-id", "client-secret", "refresh-token", CancellationToken.None));

        error.Failure.ShouldBe(AwsFailure.Credentials);
        error.Message.ShouldBe("The IAM Identity Center session could not be renewed (InvalidGrantException): it has expired or was revoked; sign in again with aws sso login.");
        _fake.Requests.Count.ShouldBe(1);
    }
}
