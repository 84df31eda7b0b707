using FsCheck;
using FsCheck.Fluent;
using Portal.Core.Logs.Kql;

namespace Portal.Core.Tests.Logs.Kql;

public class KqlPrinterTests
{
    private static readonly Config Thorough = Config.QuickThrowOnFailure.WithMaxTest(3000);

    private static readonly KqlText A = Text("a");
    private static readonly KqlText B = Text("b");
    private static readonly KqlText C = Text("c");

    private static KqlText Text(string text) => new(new KqlValue(text, Quoted: false));

    [Fact]
    public void Print_Null_Empty() => KqlPrinter.Print(null).ShouldBe("");

    [Fact]
    public void Print_AndInsideOr_NoParentheses() =>
        KqlPrinter.Print(new KqlOr(A, new KqlAnd(B, C))).ShouldBe("a or b and c");

    [Fact]
    public void Print_OrInsideAnd_Parenthesized() =>
        KqlPrinter.Print(new KqlAnd(new KqlOr(A, B), C)).ShouldBe("(a or b) and c");

    [Fact]
    public void Print_LeftNestedChain_NoParentheses() =>
        KqlPrinter.Print(new KqlOr(new KqlOr(A, B), C)).ShouldBe("a or b or c");

    [Fact]
    public void Print_RightNestedSameOperator_Parenthesized() =>
        KqlPrinter.Print(new KqlAnd(A, new KqlAnd(B, C))).ShouldBe("a and (b and c)");

    [Fact]
    public void Print_BinaryInsideNot_Parenthesized() =>
        KqlPrinter.Print(new KqlNot(new KqlAnd(A, B))).ShouldBe("not (a and b)");

    [Fact]
    public void Print_NotOfLeafOrNot_NoParentheses()
    {
        KqlPrinter.Print(new KqlAnd(new KqlNot(A), B)).ShouldBe("not a and b");
        KqlPrinter.Print(new KqlNot(new KqlNot(A))).ShouldBe("not not a");
    }

    [Fact]
    public void Print_Leaves_CanonicalForms()
    {
        KqlPrinter.Print(new KqlMatch("message", new KqlValue("connection refused", Quoted: true)))
            .ShouldBe("message:\"connection refused\"");
        KqlPrinter.Print(new KqlMatch("status", new KqlValue("5*", Quoted: false))).ShouldBe("status:5*");
        KqlPrinter.Print(new KqlExists("kubernetes.pod_name")).ShouldBe("kubernetes.pod_name:*");
        KqlPrinter.Print(new KqlRange("latency_ms", KqlRangeOperator.GreaterThanOrEqual, new KqlValue("500", Quoted: false)))
            .ShouldBe("latency_ms >= 500");
        KqlPrinter.Print(new KqlRange("@timestamp", KqlRangeOperator.LessThan, new KqlValue("2026-11-01", Quoted: true)))
            .ShouldBe("@timestamp < \"2026-11-01\"");
    }

    [Theory]
    [InlineData("a:b (c) \\ \"d\" <e> {f}", "a\\:b \\(c\\) \\\\ \\\"d\\\" \\<e\\> \\{f\\}")]
    [InlineData("rock and roll", "rock \\and roll")]
    [InlineData("or", "\\or")]
    [InlineData("NOT this", "\\NOT this")]
    [InlineData("order nothing android", "order nothing android")]
    [InlineData("x/*", "x/*")]
    [InlineData(" a  b\t", "\\u0020a\\u0020\\u0020b\\t")]
    [InlineData("x\nota", "x\\u000Aota")]
    [InlineData("x\ny", "x\\ny")]
    [InlineData("", "\"\"")]
    public void Print_UnquotedText_EscapesWhatTheParserReads(string text, string expected) =>
        KqlPrinter.Print(Text(text)).ShouldBe(expected);

    [Fact]
    public void Print_QuotedText_EscapesQuotesBackslashesAndLineBreaks() =>
        KqlPrinter.Print(new KqlText(new KqlValue("say \"hi\" C:\\x\n\t", Quoted: true))).ShouldBe("\"say \\\"hi\\\" C:\\\\x\\n\\t\"");

    [Theory]
    [InlineData("user id", "\"user id\":x")]
    [InlineData("not", "\"not\":x")]
    [InlineData("kubernetes.labels.app", "kubernetes.labels.app:x")]
    [InlineData("@timestamp", "@timestamp:x")]
    [InlineData("a:b", "\"a:b\":x")]
    public void Print_FieldName_QuotedOnlyWhenNeeded(string field, string expected) =>
        KqlPrinter.Print(new KqlMatch(field, new KqlValue("x", Quoted: false))).ShouldBe(expected);

    [Theory]
    [InlineData("http.response.body.content.text:\"quick brown fox\"", "http.response.body.content.text:\"quick brown fox\"")]
    [InlineData("http.response.status_code:400 401 404", "http.response.status_code:400 401 404")]
    [InlineData("response:200 or extension:php", "response:200 or extension:php")]
    [InlineData("account_number >= 100 and items_sold <= 200", "account_number >= 100 and items_sold <= 200")]
    [InlineData("machine.os:win*", "machine.os:win*")]
    [InlineData("http.request.method: *", "http.request.method:*")]
    [InlineData("NOT http.request.method: GET", "not http.request.method:GET")]
    [InlineData("http.request.method: (GET OR POST OR DELETE)", "http.request.method:GET or http.request.method:POST or http.request.method:DELETE")]
    [InlineData("@timestamp < \"2021-01-02T21:55:59\"", "@timestamp < \"2021-01-02T21:55:59\"")]
    [InlineData("datastream.*: logs", "datastream.*:logs")]
    [InlineData("(a OR b)   AND   (c)", "(a or b) and c")]
    public void Print_ParsedKibanaExamples_Canonical(string query, string canonical) =>
        KqlPrinter.Print(KqlParser.Parse(query)).ShouldBe(canonical);

    [Fact]
    public void Print_ChainOfAHundredThousand_NoStackOverflow()
    {
        KqlNode node = A;
        for (var i = 0; i < 100_000; i++)
        {
            node = new KqlOr(node, B);
        }

        var text = KqlPrinter.Print(node);

        text.Length.ShouldBe(1 + (100_000 * 5));
        text.ShouldStartWith("a or b or b");
    }

    [Fact]
    public void Print_ThenParse_SameTree() =>
        Check.One(Thorough, Prop.ForAll(KqlGenerators.Node.ToArbitrary(), node =>
        {
            var text = KqlPrinter.Print(node);
            KqlParser.Parse(text).ShouldBe(node, $"printed as: {text}");
        }));

    [Fact]
    public void Print_ThenParse_AnyUnquotedTextSurvives() =>
        Check.One(Thorough, Prop.ForAll(KqlGenerators.AnyUnquotedText.ToArbitrary(), text =>
        {
            var free = new KqlText(new KqlValue(text, Quoted: false));
            KqlParser.Parse(KqlPrinter.Print(free)).ShouldBe(free, $"printed as: {KqlPrinter.Print(free)}");
            if (text != "*")
            {
                var match = new KqlMatch("f", new KqlValue(text, Quoted: false));
                KqlParser.Parse(KqlPrinter.Print(match)).ShouldBe(match, $"printed as: {KqlPrinter.Print(match)}");
            }
        }));

    [Fact]
    public void Parse_KqlLikeText_ReturnsOrThrowsSyntaxErrorOnly() =>
        Check.One(Thorough, Prop.ForAll(KqlGenerators.KqlLikeText.ToArbitrary(), ParsesOrFailsCleanly));

    [Fact]
    public void Parse_EditedQueryText_ReturnsOrThrowsSyntaxErrorOnly() =>
        Check.One(Thorough, Prop.ForAll(KqlGenerators.EditedQueryText.ToArbitrary(), ParsesOrFailsCleanly));

    [Fact]
    public void Parse_AnyText_ReturnsOrThrowsSyntaxErrorOnly() =>
        Check.One(Thorough, Prop.ForAll(KqlGenerators.AnyText.ToArbitrary(), ParsesOrFailsCleanly));

    [Fact]
    public void Parse_FsCheckStrings_ReturnsOrThrowsSyntaxErrorOnly() =>
        Check.One(Thorough, Prop.ForAll(ArbMap.Default.ArbFor<string>(), ParsesOrFailsCleanly));

    /// <summary>Parse returns or throws <see cref="KqlSyntaxException"/> inside the text; what parses prints back to itself.</summary>
    private static void ParsesOrFailsCleanly(string? text)
    {
        KqlNode? node;
        try
        {
            node = KqlParser.Parse(text);
        }
        catch (KqlSyntaxException error)
        {
            error.Position.ShouldBeInRange(0, text!.Length);
            error.Message.ShouldStartWith($"Expected {error.Expected} at position {error.Position}");
            return;
        }

        var printed = KqlPrinter.Print(node);
        KqlParser.Parse(printed).ShouldBe(node, $"'{text}' printed as '{printed}'");
    }
}
