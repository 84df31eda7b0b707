using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;
using Amazon.RuntimeDependencies;
using Portal.Aws.SdkBridge;
using Portal.Aws.Signing;

namespace Portal.Aws.Tests.SdkBridge;

public sealed class AwsSdkBridgeTests
{
    [Fact]
    public async Task Register_FromManyThreadsAtOnce_LeavesPortalsClientsWhereTheSdkLooksThemUp()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(AwsSdkBridge.Register)));

        var registry = GlobalRuntimeDependencyRegistry.Instance;
        var sts = registry.GetInstance<ICoreAmazonSTS>("AWSSDK.SecurityToken", "Amazon.SecurityToken.AmazonSecurityTokenServiceClient",
            new CreateInstanceContext(new SecurityTokenServiceClientContext { Region = RegionEndpoint.EUWest1 }));
        var sso = registry.GetInstance<ICoreAmazonSSO>("AWSSDK.SSO", "Amazon.SSO.AmazonSSOClient",
            new CreateInstanceContext(new SSOClientContext { Region = RegionEndpoint.EUWest1 }));
        var oidc = registry.GetInstance<ICoreAmazonSSOOIDC>("AWSSDK.SSOOIDC", "Amazon.SSOOIDC.AmazonSSOOIDCClient",
            new CreateInstanceContext(new SSOOIDCClientContext { Region = RegionEndpoint.EUWest1 }));

        sts.ShouldBeOfType<SdkStsService>();
        sso.ShouldBeOfType<SdkSsoService>();
        oidc.ShouldBeOfType<SdkSsoOidcService>();
    }

    [Fact]
    public void Adapt_NotARole_ReturnsTheSameCredentials()
    {
        var basic = new BasicAWSCredentials("AKIDEXAMPLE", "secret");

        AwsSdkBridge.Adapt(basic).ShouldBeSameAs(basic);
    }

    [Fact]
    public void Adapt_RoleThatRequiresMfa_RefusesWithTheReason()
    {
        var role = new AssumeRoleAWSCredentials(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "arn:aws:iam::123456789012:role/admin", "s1",
            new AssumeRoleAWSCredentialsOptions { MfaSerialNumber = "arn:aws:iam::123456789012:mfa/alice" });

        var error = Should.Throw<AwsCredentialSourceException>(() => AwsSdkBridge.Adapt(role));

        error.Message.ShouldContain("arn:aws:iam::123456789012:role/admin requires an MFA code");
    }
}
