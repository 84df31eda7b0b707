using Portal.Aws.Protocol;
using Portal.Aws.Sts;

namespace Portal.Aws.Tests.Sts;

public sealed class StsEndpointTests
{
    private static StsEndpoint Resolve(params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value);
        return StsEndpoint.FromEnvironment(new AwsEndpointVariables(name => environment.GetValueOrDefault(name)));
    }

    [Fact]
    public void FromEnvironment_NothingSet_IsTheGlobalEndpointSigningForUsEast1() =>
        Resolve().ShouldBe(new StsEndpoint(new Uri("https://sts.amazonaws.com"), "us-east-1"));

    [Fact]
    public void FromEnvironment_AwsRegion_IsTheRegionalEndpoint() =>
        Resolve(("AWS_REGION", "eu-west-1"), ("AWS_DEFAULT_REGION", "us-west-2"))
            .ShouldBe(new StsEndpoint(new Uri("https://sts.eu-west-1.amazonaws.com"), "eu-west-1"));

    [Fact]
    public void FromEnvironment_OnlyDefaultRegion_IsThatRegionsEndpoint() =>
        Resolve(("AWS_DEFAULT_REGION", "cn-north-1")).ShouldBe(new StsEndpoint(new Uri("https://sts.cn-north-1.amazonaws.com.cn"), "cn-north-1"));

    [Fact]
    public void FromEnvironment_StsEndpointUrl_WinsOverTheGenericOneAndKeepsTheRegionForSigning() =>
        Resolve(("AWS_REGION", "eu-west-1"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"), ("AWS_ENDPOINT_URL_STS", "https://vpce-1.sts.eu-west-1.vpce.amazonaws.com"))
            .ShouldBe(new StsEndpoint(new Uri("https://vpce-1.sts.eu-west-1.vpce.amazonaws.com"), "eu-west-1"));

    [Fact]
    public void FromEnvironment_GenericEndpointUrl_IsUsedWithoutAServiceOne() =>
        Resolve(("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")).ShouldBe(new StsEndpoint(new Uri("http://127.0.0.1:4566"), "us-east-1"));

    [Fact]
    public void FromEnvironment_IgnoreConfiguredEndpointUrls_FallsBackToTheRegion() =>
        Resolve(("AWS_REGION", "eu-west-1"), ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:4566"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"))
            .ShouldBe(new StsEndpoint(new Uri("https://sts.eu-west-1.amazonaws.com"), "eu-west-1"));

    [Fact]
    public void FromEnvironment_EndpointUrlNotHttp_NamesTheVariableWithoutEchoingIt()
    {
        var error = Should.Throw<InvalidOperationException>(() => Resolve(("AWS_ENDPOINT_URL_STS", "ftp://user:secret@example.com")));

        error.Message.ShouldBe("AWS_ENDPOINT_URL_STS must be an absolute http(s) URL.");
    }
}
