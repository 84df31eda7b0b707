using Portal.Logs.Elasticsearch;

namespace Portal.Logs.Tests.Elasticsearch;

public sealed class ElasticsearchOptionsValidatorTests
{
    private static ElasticsearchOptions Valid() => new() { Url = new Uri("https://search.example.com:9200") };

    private static IEnumerable<string> Failures(ElasticsearchOptions options) =>
        new ElasticsearchOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void Validate_Defaults_WithAUrl_Succeed() => new ElasticsearchOptionsValidator().Validate(null, Valid()).Succeeded.ShouldBeTrue();

    [Theory]
    [InlineData(null)]
    [InlineData("search.example.com")]
    [InlineData("ftp://search.example.com")]
    public void Validate_MissingRelativeOrNonHttpUrl_NamesTheKey(string? url)
    {
        var options = Valid();
        options.Url = url is null ? null : new Uri(url, UriKind.RelativeOrAbsolute);

        Failures(options).ShouldBe(["Logs:Elasticsearch:Url must be an absolute http(s) URL."]);
    }

    [Fact]
    public void Validate_ApiKeyModeWithoutKey_NamesTheKey()
    {
        var options = Valid();
        options.Authentication.Mode = ElasticsearchAuthenticationMode.ApiKey;

        Failures(options).ShouldBe(["Logs:Elasticsearch:Authentication:ApiKey is required when Authentication:Mode is ApiKey."]);
    }

    [Fact]
    public void Validate_BasicModeWithoutUserOrPassword_NamesBothKeys()
    {
        var options = Valid();
        options.Authentication.Mode = ElasticsearchAuthenticationMode.Basic;

        Failures(options).ShouldBe([
            "Logs:Elasticsearch:Authentication:Username is required when Authentication:Mode is Basic.",
            "Logs:Elasticsearch:Authentication:Password is required when Authentication:Mode is Basic.",
        ]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Ireland")]
    public void Validate_SigV4WithoutARegion_NamesTheKey(string? region)
    {
        var options = Valid();
        options.Authentication.Mode = ElasticsearchAuthenticationMode.AwsSigV4;
        options.Authentication.Region = region;

        Failures(options).Single().ShouldStartWith("Logs:Elasticsearch:Authentication:Region is required when Authentication:Mode is AwsSigV4");
    }

    [Fact]
    public void Validate_SigV4WithRegion_Succeeds()
    {
        var options = Valid();
        options.Authentication.Mode = ElasticsearchAuthenticationMode.AwsSigV4;
        options.Authentication.Region = "us-gov-west-1";

        Failures(options).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_PatternWithoutPlaceholderOrField_WouldMixEnvironments()
    {
        var options = Valid();
        options.IndexPattern = "logs-*";

        Failures(options).Single().ShouldStartWith("Logs:Elasticsearch:EnvironmentFilterField is required when IndexPattern has no {environment} placeholder");
        options.EnvironmentFilterField = "kubernetes.namespace_name";
        Failures(options).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_OutOfRangeNumbers_NameTheirKeys()
    {
        var options = Valid();
        options.RequestTimeout = TimeSpan.Zero;
        options.MaxRetries = -1;
        options.PointInTimeKeepAlive = "2 minutes";
        options.IndexPattern = "logs {environment}";
        options.TimestampField = " ";

        Failures(options).Select(f => f[..f.IndexOf(' ', StringComparison.Ordinal)]).ShouldBe(
            [
                "Logs:Elasticsearch:IndexPattern",
                "Logs:Elasticsearch:TimestampField",
                "Logs:Elasticsearch:RequestTimeout",
                "Logs:Elasticsearch:MaxRetries",
                "Logs:Elasticsearch:PointInTimeKeepAlive",
            ],
            ignoreOrder: true);
    }
}
