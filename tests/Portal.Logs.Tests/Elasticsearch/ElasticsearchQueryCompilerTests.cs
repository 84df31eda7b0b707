using Portal.Core.Logs.Kql;
using Portal.Logs.Elasticsearch;

namespace Portal.Logs.Tests.Elasticsearch;

/// <summary>Each KQL construct against the exact DSL Kibana generates for it (compared as compact JSON).</summary>
public sealed class ElasticsearchQueryCompilerTests
{
    private readonly ElasticsearchQueryCompiler _compiler = new("@timestamp");

    private static KqlValue Unquoted(string text) => new(text, Quoted: false);

    private static KqlValue Quoted(string text) => new(text, Quoted: true);

    private void ShouldCompileTo(KqlNode? node, string expected) =>
        _compiler.Compile(node).ToJsonString().ShouldBe(ReferenceData.Compact(expected));

    [Fact]
    public void Compile_NoQuery_MatchesAll() => ShouldCompileTo(null, """{"match_all":{}}""");

    [Fact]
    public void Compile_UnquotedFreeText_IsLenientBestFieldsMultiMatch() => ShouldCompileTo(
        new KqlText(Unquoted("connection refused")),
        """{"multi_match":{"type":"best_fields","query":"connection refused","lenient":true}}""");

    [Fact]
    public void Compile_QuotedFreeText_IsLenientPhraseMultiMatch() => ShouldCompileTo(
        new KqlText(Quoted("connection refused")),
        """{"multi_match":{"type":"phrase","query":"connection refused","lenient":true}}""");

    [Fact]
    public void Compile_WildcardFreeText_IsQueryStringWithSyntaxEscapedAndStarKept() => ShouldCompileTo(
        new KqlText(Unquoted("GET /api/v1*")),
        """{"query_string":{"query":"GET\\ \\/api\\/v1*"}}""");

    [Fact]
    public void Compile_UnquotedFieldMatch_IsMatch() => ShouldCompileTo(
        new KqlMatch("kubernetes.container_name", Unquoted("checkout")),
        """{"match":{"kubernetes.container_name":"checkout"}}""");

    [Fact]
    public void Compile_QuotedFieldMatch_IsMatchPhrase() => ShouldCompileTo(
        new KqlMatch("message", Quoted("payment failed")),
        """{"match_phrase":{"message":"payment failed"}}""");

    [Fact]
    public void Compile_WildcardFieldMatch_IsQueryStringOnThatField() => ShouldCompileTo(
        new KqlMatch("host.name", Unquoted("web-(a)*")),
        """{"query_string":{"fields":["host.name"],"query":"web\\-\\(a\\)*"}}""");

    [Fact]
    public void Compile_Exists_IsExists() => ShouldCompileTo(
        new KqlExists("error.stack_trace"),
        """{"exists":{"field":"error.stack_trace"}}""");

    [Theory]
    [InlineData(KqlRangeOperator.GreaterThan, "gt")]
    [InlineData(KqlRangeOperator.GreaterThanOrEqual, "gte")]
    [InlineData(KqlRangeOperator.LessThan, "lt")]
    [InlineData(KqlRangeOperator.LessThanOrEqual, "lte")]
    public void Compile_RangeOnNumber_UsesTheOperatorAndANumber(KqlRangeOperator op, string key) => ShouldCompileTo(
        new KqlRange("http.response.status_code", op, Unquoted("500")),
        """{"range":{"http.response.status_code":{"KEY":500}}}""".Replace("KEY", key, StringComparison.Ordinal));

    [Fact]
    public void Compile_RangeOnDecimal_IsADecimalNumber() => ShouldCompileTo(
        new KqlRange("duration", KqlRangeOperator.GreaterThan, Unquoted("1.5")),
        """{"range":{"duration":{"gt":1.5}}}""");

    [Fact]
    public void Compile_RangeOnNonNumber_KeepsTheString() => ShouldCompileTo(
        new KqlRange("version", KqlRangeOperator.GreaterThanOrEqual, Unquoted("v2")),
        """{"range":{"version":{"gte":"v2"}}}""");

    [Fact]
    public void Compile_RangeOnTimestampField_PassesDateMathAndNumbersAsStrings()
    {
        ShouldCompileTo(
            new KqlRange("@timestamp", KqlRangeOperator.GreaterThanOrEqual, Unquoted("now-1h")),
            """{"range":{"@timestamp":{"gte":"now-1h"}}}""");
        ShouldCompileTo(
            new KqlRange("@timestamp", KqlRangeOperator.LessThan, Unquoted("1700000000000")),
            """{"range":{"@timestamp":{"lt":"1700000000000"}}}""");
    }

    [Fact]
    public void Compile_And_IsBoolFilterWithNestedChainsFlattened() => ShouldCompileTo(
        new KqlAnd(new KqlAnd(new KqlMatch("a", Unquoted("1")), new KqlMatch("b", Unquoted("2"))), new KqlAnd(new KqlExists("c"), new KqlMatch("d", Unquoted("4")))),
        """{"bool":{"filter":[{"match":{"a":"1"}},{"match":{"b":"2"}},{"exists":{"field":"c"}},{"match":{"d":"4"}}]}}""");

    [Fact]
    public void Compile_Or_IsBoolShouldWithMinimumOneAndChainsFlattened() => ShouldCompileTo(
        new KqlOr(new KqlMatch("level", Unquoted("error")), new KqlOr(new KqlMatch("level", Unquoted("warn")), new KqlMatch("level", Unquoted("fatal")))),
        """{"bool":{"should":[{"match":{"level":"error"}},{"match":{"level":"warn"}},{"match":{"level":"fatal"}}],"minimum_should_match":1}}""");

    [Fact]
    public void Compile_Not_IsBoolMustNot() => ShouldCompileTo(
        new KqlNot(new KqlMatch("level", Unquoted("debug"))),
        """{"bool":{"must_not":[{"match":{"level":"debug"}}]}}""");

    [Fact]
    public void Compile_MixedOperators_KeepsEachBoolOnlyAroundItsOwnOperator() => ShouldCompileTo(
        new KqlAnd(new KqlOr(new KqlMatch("a", Unquoted("1")), new KqlMatch("b", Unquoted("2"))), new KqlNot(new KqlAnd(new KqlExists("c"), new KqlExists("d")))),
        """
        {"bool":{"filter":[
          {"bool":{"should":[{"match":{"a":"1"}},{"match":{"b":"2"}}],"minimum_should_match":1}},
          {"bool":{"must_not":[{"bool":{"filter":[{"exists":{"field":"c"}},{"exists":{"field":"d"}}]}}]}}
        ]}}
        """);

    [Fact]
    public void EscapeQueryString_EverySpecialCharacter_IsEscapedExceptTheWildcard() =>
        ElasticsearchQueryCompiler.EscapeQueryString("a+b-c=d&e|f>g<h!i(j)k{l}m[n]o^p\"q~r?s:t\\u/v w*").ShouldBe(
            "a\\+b\\-c\\=d\\&e\\|f\\>g\\<h\\!i\\(j\\)k\\{l\\}m\\[n\\]o\\^p\\\"q\\~r\\?s\\:t\\\\u\\/v\\ w*");
}
