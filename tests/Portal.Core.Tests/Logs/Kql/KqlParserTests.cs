using Portal.Core.Logs.Kql;

namespace Portal.Core.Tests.Logs.Kql;

public class KqlParserTests
{
    private static KqlText Text(string text) => new(new KqlValue(text, Quoted: false));

    private static KqlText Phrase(string text) => new(new KqlValue(text, Quoted: true));

    private static KqlMatch Match(string field, string text) => new(field, new KqlValue(text, Quoted: false));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t\n ")]
    public void Parse_NullOrBlank_MatchesAll(string? text) => KqlParser.Parse(text).ShouldBeNull();

    [Theory]
    [InlineData("error", "error")]
    [InlineData("quick brown fox", "quick brown fox")]
    [InlineData("  quick \t brown\n\nfox  ", "quick brown fox")]
    [InlineData("err*", "err*")]
    [InlineData("*", "*")]
    [InlineData("nothing android order", "nothing android order")]
    [InlineData("a = b", "a = b")]
    public void Parse_FreeText_OneUnquotedValueWithSingleSpaces(string query, string text) =>
        KqlParser.Parse(query).ShouldBe(Text(text));

    [Theory]
    [InlineData("\"connection refused\"", "connection refused")]
    [InlineData("\"say \\\"hi\\\" to C:\\\\temp\"", "say \"hi\" to C:\\temp")]
    [InlineData("\"  spaced  out  \"", "  spaced  out  ")]
    [InlineData("\"a and b or not c: (x) * <y>\"", "a and b or not c: (x) * <y>")]
    [InlineData("\"tab\\there\\nnewline\\u00e9\"", "tab\there\nnewline\u00e9")]
    [InlineData("\"C:\\data\"", "C:\\data")]
    [InlineData("\"\"", "")]
    public void Parse_QuotedPhrase_UnescapesQuotesAndBackslashes(string query, string text) =>
        KqlParser.Parse(query).ShouldBe(Phrase(text));

    [Theory]
    [InlineData("status:500", "status", "500")]
    [InlineData("status : 500", "status", "500")]
    [InlineData("status:5*", "status", "5*")]
    [InlineData("path:/api/*", "path", "/api/*")]
    [InlineData("kubernetes.pod_name:web-1", "kubernetes.pod_name", "web-1")]
    [InlineData("kubernetes.labels.app:checkout", "kubernetes.labels.app", "checkout")]
    [InlineData("@timestamp:2026", "@timestamp", "2026")]
    [InlineData("message:quick brown fox", "message", "quick brown fox")]
    [InlineData("\"user.id\":alice", "user.id", "alice")]
    [InlineData("url:http\\://x/\\(1\\)", "url", "http://x/(1)")]
    public void Parse_FieldValue_Match(string query, string field, string value) =>
        KqlParser.Parse(query).ShouldBe(Match(field, value));

    [Fact]
    public void Parse_WordsBeforeColon_OneFieldNameAsInKibana() =>
        KqlParser.Parse("error status:500").ShouldBe(Match("error status", "500"));

    [Fact]
    public void Parse_FieldQuotedPhrase_QuotedMatch() =>
        KqlParser.Parse("message:\"connection refused\"")
            .ShouldBe(new KqlMatch("message", new KqlValue("connection refused", Quoted: true)));

    [Theory]
    [InlineData("kubernetes.pod_name:*")]
    [InlineData("kubernetes.pod_name : * ")]
    public void Parse_FieldStar_Exists(string query) =>
        KqlParser.Parse(query).ShouldBe(new KqlExists("kubernetes.pod_name"));

    [Fact]
    public void Parse_FieldQuotedStar_MatchesLiteralAsterisk() =>
        KqlParser.Parse("note:\"*\"").ShouldBe(new KqlMatch("note", new KqlValue("*", Quoted: true)));

    [Theory]
    [InlineData("latency_ms >= 500", "latency_ms", KqlRangeOperator.GreaterThanOrEqual, "500", false)]
    [InlineData("status>499", "status", KqlRangeOperator.GreaterThan, "499", false)]
    [InlineData("status < 400", "status", KqlRangeOperator.LessThan, "400", false)]
    [InlineData("status<=399", "status", KqlRangeOperator.LessThanOrEqual, "399", false)]
    [InlineData("@timestamp < \"2026-11-01\"", "@timestamp", KqlRangeOperator.LessThan, "2026-11-01", true)]
    [InlineData("@timestamp >= now-1h", "@timestamp", KqlRangeOperator.GreaterThanOrEqual, "now-1h", false)]
    public void Parse_Range_FieldOperatorValue(string query, string field, KqlRangeOperator op, string value, bool quoted) =>
        KqlParser.Parse(query).ShouldBe(new KqlRange(field, op, new KqlValue(value, quoted)));

    [Fact]
    public void Parse_OrThenAnd_AndBindsTighter() =>
        KqlParser.Parse("a or b and c").ShouldBe(new KqlOr(Text("a"), new KqlAnd(Text("b"), Text("c"))));

    [Fact]
    public void Parse_NotThenAnd_NotBindsTighter() =>
        KqlParser.Parse("not a and b").ShouldBe(new KqlAnd(new KqlNot(Text("a")), Text("b")));

    [Fact]
    public void Parse_AndChain_LeftAssociative() =>
        KqlParser.Parse("a and b and c").ShouldBe(new KqlAnd(new KqlAnd(Text("a"), Text("b")), Text("c")));

    [Fact]
    public void Parse_OrChain_LeftAssociative() =>
        KqlParser.Parse("a or b or c").ShouldBe(new KqlOr(new KqlOr(Text("a"), Text("b")), Text("c")));

    [Fact]
    public void Parse_Parentheses_OverridePrecedence() =>
        KqlParser.Parse("(a or b) and not (c or d)")
            .ShouldBe(new KqlAnd(new KqlOr(Text("a"), Text("b")), new KqlNot(new KqlOr(Text("c"), Text("d")))));

    [Theory]
    [InlineData("a AND b")]
    [InlineData("a And b")]
    [InlineData("a and b")]
    public void Parse_KeywordsInAnyCase_Operators(string query) =>
        KqlParser.Parse(query).ShouldBe(new KqlAnd(Text("a"), Text("b")));

    [Fact]
    public void Parse_NotOrUpperCase_Operators() =>
        KqlParser.Parse("NOT a OR b").ShouldBe(new KqlOr(new KqlNot(Text("a")), Text("b")));

    [Fact]
    public void Parse_NotBeforeParenthesisWithoutSpace_Negates() =>
        KqlParser.Parse("not(a)").ShouldBe(new KqlNot(Text("a")));

    [Fact]
    public void Parse_NotNot_DoubleNegation() =>
        KqlParser.Parse("not not a").ShouldBe(new KqlNot(new KqlNot(Text("a"))));

    [Fact]
    public void Parse_MixedQuery_AllNodeKinds() =>
        KqlParser.Parse("level:error and not kubernetes.labels.app:(web or api) and latency_ms >= 500 or \"timed out\"")
            .ShouldBe(new KqlOr(
                new KqlAnd(
                    new KqlAnd(
                        Match("level", "error"),
                        new KqlNot(new KqlOr(Match("kubernetes.labels.app", "web"), Match("kubernetes.labels.app", "api")))),
                    new KqlRange("latency_ms", KqlRangeOperator.GreaterThanOrEqual, new KqlValue("500", Quoted: false))),
                Phrase("timed out")));

    [Fact]
    public void Parse_FieldValueListWithOr_OrOfMatches() =>
        KqlParser.Parse("status:(500 or 503)").ShouldBe(new KqlOr(Match("status", "500"), Match("status", "503")));

    [Fact]
    public void Parse_FieldValueListWithAndNot_AndOfMatchAndNot() =>
        KqlParser.Parse("tags:(a and not b)").ShouldBe(new KqlAnd(Match("tags", "a"), new KqlNot(Match("tags", "b"))));

    [Fact]
    public void Parse_FieldValueListWithNot_NotOfMatch() =>
        KqlParser.Parse("tags:(not a)").ShouldBe(new KqlNot(Match("tags", "a")));

    [Fact]
    public void Parse_FieldValueListNested_PrecedenceAndStarAsExists() =>
        KqlParser.Parse("f:(a or (\"b c\" and *))")
            .ShouldBe(new KqlOr(Match("f", "a"), new KqlAnd(new KqlMatch("f", new KqlValue("b c", Quoted: true)), new KqlExists("f"))));

    [Theory]
    [InlineData("a\\:b", "a:b")]
    [InlineData("\\(x\\)", "(x)")]
    [InlineData("C\\:\\\\temp", "C:\\temp")]
    [InlineData("say \\\"hi\\\"", "say \"hi\"")]
    [InlineData("\\<tag\\>", "<tag>")]
    [InlineData("\\{x\\}", "{x}")]
    [InlineData("rock \\and roll", "rock and roll")]
    [InlineData("\\or", "or")]
    [InlineData("\\NOT", "NOT")]
    [InlineData("\\not", "not")]
    [InlineData("a\\tb", "a\tb")]
    [InlineData("a\\nb", "a\nb")]
    [InlineData("\\u0020a\\u0041", " aA")]
    public void Parse_UnquotedEscapes_Unescaped(string query, string text) =>
        KqlParser.Parse(query).ShouldBe(Text(text));

    [Fact]
    public void Parse_EscapedKeywordInFieldValue_Value() =>
        KqlParser.Parse("answer:\\or and x:\\not").ShouldBe(new KqlAnd(Match("answer", "or"), Match("x", "not")));

    [Theory]
    [InlineData("status:", 7, "a value after ':'", "Expected a value after ':' at position 7, found end of query.")]
    [InlineData("(a or b", 7, "')'", "Expected ')' at position 7, found end of query.")]
    [InlineData(">= 5", 0, "a field name before '>='", "Expected a field name before '>=' at position 0, found '>='.")]
    [InlineData("a or < 5", 5, "a field name before '<'", "Expected a field name before '<' at position 5, found '<'.")]
    [InlineData(":x", 0, "a field name before ':'", "Expected a field name before ':' at position 0, found ':'.")]
    [InlineData("(a) b", 4, "end of query", "Expected end of query at position 4, found 'b'.")]
    [InlineData("a)", 1, "end of query", "Expected end of query at position 1, found ')'.")]
    [InlineData("a and", 5, "a query after 'and'", "Expected a query after 'and' at position 5, found end of query.")]
    [InlineData("a or", 4, "a query after 'or'", "Expected a query after 'or' at position 4, found end of query.")]
    [InlineData("not", 3, "a query after 'not'", "Expected a query after 'not' at position 3, found end of query.")]
    [InlineData("and a", 0, "a query", "Expected a query at position 0, found 'and'.")]
    [InlineData("()", 1, "a query after '('", "Expected a query after '(' at position 1, found ')'.")]
    [InlineData("f:()", 3, "a value after '('", "Expected a value after '(' at position 3, found ')'.")]
    [InlineData("f:(a or)", 7, "a value after 'or'", "Expected a value after 'or' at position 7, found ')'.")]
    [InlineData("f:(a b:c)", 6, "')'", "Expected ')' at position 6, found ':'.")]
    [InlineData("f:not a", 2, "a value after ':'", "Expected a value after ':' at position 2, found 'not'.")]
    [InlineData("x >= ", 5, "a value after '>='", "Expected a value after '>=' at position 5, found end of query.")]
    [InlineData("f:{a}", 2, "a value after ':'", "Expected a value after ':' at position 2, found '{'.")]
    [InlineData("a\\*b", 1, "a quoted phrase for a literal '*'", "Expected a quoted phrase for a literal '*' at position 1, found '\\*'.")]
    [InlineData("a\\", 1, "a character to escape after '\\'", "Expected a character to escape after '\\' at position 1, found end of query.")]
    [InlineData("a\\zb", 1, "a known escape after '\\'", "Expected a known escape after '\\' at position 1, found '\\z'.")]
    [InlineData("a\\u12g4", 1, "four hex digits after '\\u'", "Expected four hex digits after '\\u' at position 1, found '\\u12g4'.")]
    [InlineData("a\\u12", 1, "four hex digits after '\\u'", "Expected four hex digits after '\\u' at position 1, found '\\u12'.")]
    [InlineData("\"\":x", 0, "a field name before ':'", "Expected a field name before ':' at position 0, found '\"'.")]
    public void Parse_InvalidQuery_SyntaxErrorWithPosition(string query, int position, string expected, string message)
    {
        var error = Should.Throw<KqlSyntaxException>(() => KqlParser.Parse(query));

        error.Position.ShouldBe(position);
        error.Expected.ShouldBe(expected);
        error.Message.ShouldBe(message);
    }

    [Fact]
    public void Parse_UnclosedQuote_SyntaxErrorAtEnd()
    {
        var error = Should.Throw<KqlSyntaxException>(() => KqlParser.Parse("msg:\"abc \\\""));

        error.Position.ShouldBe(11);
        error.Expected.ShouldBe("a closing '\"'");
        error.Message.ShouldContain("opened at position 4");
    }

    [Fact]
    public void Parse_NestingAtTheLimit_Parses()
    {
        var depth = KqlParser.MaxDepth;
        var query = new string('(', depth) + "a" + new string(')', depth);

        KqlParser.Parse(query).ShouldBe(Text("a"));
    }

    [Fact]
    public void Parse_ParenthesesDeeperThanTheLimit_SyntaxErrorNotStackOverflow()
    {
        var query = new string('(', 100_000) + "a" + new string(')', 100_000);

        var error = Should.Throw<KqlSyntaxException>(() => KqlParser.Parse(query));

        error.Position.ShouldBe(KqlParser.MaxDepth);
        error.Expected.ShouldBe($"at most {KqlParser.MaxDepth} levels of nesting");
    }

    [Fact]
    public void Parse_NotsDeeperThanTheLimit_SyntaxError() =>
        Should.Throw<KqlSyntaxException>(() => KqlParser.Parse(string.Concat(Enumerable.Repeat("not ", 100_000)) + "a"))
            .Position.ShouldBe(KqlParser.MaxDepth * 4);

    [Fact]
    public void Parse_ValueListDeeperThanTheLimit_SyntaxError() =>
        Should.Throw<KqlSyntaxException>(() => KqlParser.Parse("f:" + new string('(', 50_000) + "a"))
            .Expected.ShouldBe($"at most {KqlParser.MaxDepth} levels of nesting");

    [Fact]
    public void Parse_OperatorsUpToTheLimit_Parse()
    {
        var query = string.Join(" or ", Enumerable.Range(0, KqlParser.MaxOperators + 1).Select(i => $"id:{i}"));

        var node = KqlParser.Parse(query).ShouldBeOfType<KqlOr>();

        node.Right.ShouldBe(Match("id", KqlParser.MaxOperators.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Parse_MoreOperatorsThanTheLimit_SyntaxError()
    {
        var query = string.Join(" and ", Enumerable.Repeat("a", KqlParser.MaxOperators + 2));

        var error = Should.Throw<KqlSyntaxException>(() => KqlParser.Parse(query));

        error.Position.ShouldBe((KqlParser.MaxOperators * 6) + 2);
        error.Expected.ShouldBe($"at most {KqlParser.MaxOperators} 'and'/'or' operators");
    }
}
