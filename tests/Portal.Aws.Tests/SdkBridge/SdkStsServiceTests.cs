using Amazon.Runtime;
using Portal.Aws.Protocol;
using Portal.Aws.SdkBridge;
using Portal.Aws.Signing;

namespace Portal.Aws.Tests.SdkBridge;

/// <remarks>In the environment collection: the SDK's own <see cref="AssumeRoleAWSCredentials"/> reads the profile files for a region.</remarks>
[Collection(AwsEnvironmentCollection.Name)]
public sealed class SdkStsServiceTests : IAsyncLifetime
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/portal-irsa";

    private FakeAws _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeAws.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private SdkStsService Service() => new(TimeProvider.System, new AwsEndpointVariables(name => name == "AWS_ENDPOINT_URL_STS" ? _fake.Url.ToString() : null));

    [Fact]
    public async Task CredentialsFromAssumeRoleWithWebIdentityAuthenticationAsync_PassesTheSdksOptionsAndReturnsUtcExpiration()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.Text("Sts/assume-role-with-web-identity.response.xml"));

        var credentials = await Service().CredentialsFromAssumeRoleWithWebIdentityAuthenticationAsync("the-token\n", RoleArn, "portal-pod",
            new AssumeRoleWithWebIdentityCredentialsOptions { DurationSeconds = 900, PolicyArns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"] });

        credentials.AccessKey.ShouldBe("ASgeIAIOSFODNN7EXAMPLE");
        credentials.Expiration.ShouldBe(new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc));
        credentials.Expiration.Kind.ShouldBe(DateTimeKind.Utc);
        var form = _fake.Requests.Single().Form;
        form["WebIdentityToken"].ShouldBe("the-token");
        form["DurationSeconds"].ShouldBe("900");
        form["PolicyArns.member.1.arn"].ShouldBe("arn:aws:iam::aws:policy/ReadOnlyAccess");
    }

    [Fact]
    public async Task SdksOwnAssumeRoleCredentials_AreRefusedUnsentBecauseTheSdkPassesNoSourceCredentials()
    {
        using var _ = new AwsEnvironment(new Dictionary<string, string> { ["AWS_REGION"] = "eu-west-1" });
        AwsSdkBridge.Register();
        var role = new AssumeRoleAWSCredentials(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "arn:aws:iam::123456789012:role/portal-reader", "s1");

        var error = await Should.ThrowAsync<AwsCredentialSourceException>(role.GetCredentialsAsync);

        error.Message.ShouldContain("does not hand Portal the source credentials");
        error.Message.ShouldContain("AwsCredentialChain");
        _fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task CredentialsFromSAMLAuthenticationAsync_IsRefusedNamingTheRole()
    {
        var error = await Should.ThrowAsync<AwsCredentialSourceException>(() =>
            Service().CredentialsFromSAMLAuthenticationAsync("https://adfs.example.com", "Kerberos", "arn:aws:iam::123456789012:role/saml", TimeSpan.FromHours(1), null!));

        error.Message.ShouldContain("arn:aws:iam::123456789012:role/saml is configured for SAML federation");
    }
}
