using System.Text.Json.Nodes;
using Portal.Core.Logs;
using Portal.Logs.Elasticsearch;

namespace Portal.Logs.Tests.Elasticsearch;

public sealed class ElasticsearchIndicesTests
{
    private static readonly LogScope[] Scopes = [new("prod", "shop-prod"), new("dev", "shop-dev")];

    [Fact]
    public void For_PatternWithPlaceholder_OnePatternPerEnvironment() =>
        new ElasticsearchIndices("logs-{environment}-*", null).For(Scopes).ShouldBe("logs-prod-*,logs-dev-*");

    [Fact]
    public void For_PatternWithoutPlaceholder_OnePatternForAll() =>
        new ElasticsearchIndices("logs-*,audit-*", "kubernetes.namespace_name").For(Scopes).ShouldBe("logs-*,audit-*");

    [Fact]
    public void For_CrossClusterPattern_EscapesTheColonSoThePathStaysRelative() =>
        new ElasticsearchIndices("remote:logs-{environment}-*", null).For([Scopes[0]]).ShouldBe("remote%3Alogs-prod-*");

    [Fact]
    public void ScopeFilter_WithField_IsATermsFilterOnTheNamespaces() =>
        new ElasticsearchIndices("logs-*", "kubernetes.namespace_name").ScopeFilter(Scopes)!.ToJsonString()
            .ShouldBe("""{"terms":{"kubernetes.namespace_name":["shop-prod","shop-dev"]}}""");

    [Fact]
    public void ScopeFilter_WithoutField_IsNone() => new ElasticsearchIndices("logs-{environment}-*", null).ScopeFilter(Scopes).ShouldBeNull();

    [Theory]
    [InlineData("logs-dev-2026.11.22", "dev")]
    [InlineData("logs-prod-2026.11.22", "prod")]
    [InlineData(".ds-logs-dev-default-2026.11.22-000001", "dev")]
    public void EnvironmentOf_IndexName_MatchedAgainstEachEnvironmentsPattern(string index, string environment) =>
        new ElasticsearchIndices("logs-{environment}-*", null).EnvironmentOf(index, [], Scopes).ShouldBe(environment);

    [Theory]
    [InlineData("""{"kubernetes":{"namespace_name":"shop-dev"}}""")]
    [InlineData("""{"kubernetes.namespace_name":"shop-dev"}""")]
    public void EnvironmentOf_NamespaceField_NestedOrDotted_GivesThatNamespacesEnvironment(string source) =>
        new ElasticsearchIndices("logs-*", "kubernetes.namespace_name").EnvironmentOf("logs-2026.11.22", (JsonObject)JsonNode.Parse(source)!, Scopes).ShouldBe("dev");

    [Fact]
    public void EnvironmentOf_KeywordSubField_ReadsTheParentFromTheSource() =>
        new ElasticsearchIndices("logs-*", "kubernetes.namespace_name.keyword")
            .EnvironmentOf("logs-1", (JsonObject)JsonNode.Parse("""{"kubernetes":{"namespace_name":"shop-dev"}}""")!, Scopes).ShouldBe("dev");

    [Theory]
    [InlineData("logs-*", "logs-prod", true)]
    [InlineData("logs-*-x", "logs-prod-x", true)]
    [InlineData("logs-*-x", "logs-prod-y", false)]
    [InlineData("*-prod-*", "logs-prod-1", true)]
    [InlineData("logs", "logs", true)]
    [InlineData("logs", "logs-1", false)]
    [InlineData("a*a", "a", false)]
    public void Matches_WildcardPattern(string pattern, string name, bool expected) =>
        ElasticsearchIndices.Matches(pattern, name).ShouldBe(expected);
}
