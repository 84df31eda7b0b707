using Amazon.Runtime.SharedInterfaces;
using Portal.Aws.Protocol;
using Portal.Aws.SdkBridge;
using Portal.Aws.Signing;
using Portal.Testing;

namespace Portal.Aws.Tests.SdkBridge;

public sealed class SdkSsoOidcServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private FakeAws _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeAws.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private SdkSsoOidcService Service() =>
        new("eu-west-1", new FakeClock(At), new AwsEndpointVariables(name => name == "AWS_ENDPOINT_URL_SSO_OIDC" ? _fake.Url.ToString() : null));

    private static GetSsoTokenResponse Cached(string? refreshToken = "cached-refresh-token") => new()
    {
        AccessToken = "expired-access-token",
        ExpiresAt = At.UtcDateTime.AddMinutes(-1),
        RefreshToken = refreshToken,
        ClientId = "registered-client-id",
        ClientSecret = "registered-client-secret",
        RegistrationExpiresAt = "2026-12-22T09:00:00Z",
        Region = "eu-west-1",
        StartUrl = "https://corp.awsapps.com/start",
    };

    [Fact]
    public async Task RefreshTokenAsync_RenewsAndKeepsTheClientRegistration()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("Sso/create-token.refresh.response.json"));

        var renewed = await Service().RefreshTokenAsync(Cached());

        renewed.AccessToken.ShouldBe("aoaAAAAAGrenewedEXAMPLEaccessToken");
        renewed.ExpiresAt.ShouldBe(At.UtcDateTime.AddSeconds(28800));
        renewed.RefreshToken.ShouldBe("aorvJYubGpU6i91YnH7Mfo-AT2fIVa1zCfA_RotatedEXAMPLE");
        (renewed.ClientId, renewed.ClientSecret, renewed.RegistrationExpiresAt, renewed.Region, renewed.StartUrl)
            .ShouldBe(("registered-client-id", "registered-client-secret", "2026-12-22T09:00:00Z", "eu-west-1", "https://corp.awsapps.com/start"));
        _fake.Requests.Single().Path.ShouldBe("/token");
    }

    [Fact]
    public async Task RefreshTokenAsync_RefreshTokenNotRotated_KeepsTheOldOne()
    {
        _fake.Responder = _ => FakeReply.Ok("""{"accessToken":"renewed","tokenType":"Bearer","expiresIn":3600}""");

        var renewed = await Service().RefreshTokenAsync(Cached());

        renewed.RefreshToken.ShouldBe("cached-refresh-token");
        renewed.ExpiresAt.ShouldBe(At.UtcDateTime.AddHours(1));
    }

    [Fact]
    public async Task RefreshTokenAsync_NoRefreshToken_AsksForASignInWithoutCallingOidc()
    {
        var error = await Should.ThrowAsync<AwsCredentialSourceException>(() => Service().RefreshTokenAsync(Cached(refreshToken: null)));

        error.Message.ShouldContain("run aws sso login");
        _fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task GetSsoTokenAsync_NewSignIn_IsRefusedWithTheCommandToRun()
    {
        var error = await Should.ThrowAsync<AwsCredentialSourceException>(() =>
            Service().GetSsoTokenAsync(new GetSsoTokenRequest { StartUrl = "https://corp.awsapps.com/start" }));

        error.Message.ShouldContain("https://corp.awsapps.com/start");
        error.Message.ShouldContain("Run aws sso login");
        _fake.Requests.ShouldBeEmpty();
    }
}
