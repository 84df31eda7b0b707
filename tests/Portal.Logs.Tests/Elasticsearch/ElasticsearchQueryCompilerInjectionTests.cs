using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Portal.Core.Logs.Kql;
using Portal.Core.Tests.Logs.Kql;
using Portal.Logs.Elasticsearch;
using Portal.Testing;

namespace Portal.Logs.Tests.Elasticsearch;

/// <summary>
/// Hostile KQL against the Elasticsearch DSL: whatever a person types, the DSL is JSON the client can send, made of
/// the clause types the compiler writes and nothing else (no <c>script</c>, no extra keys), and every field name and
/// value in it is exactly the one in the query, one string each.
/// </summary>
public sealed class ElasticsearchQueryCompilerInjectionTests
{
    /// <summary>As the client sends bodies (ElasticsearchClient).</summary>
    private static readonly JsonSerializerOptions WireJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 1024 };

    private static readonly string[] Clauses = ["multi_match", "match", "match_phrase", "query_string", "exists", "range", "bool"];

    private readonly ElasticsearchQueryCompiler _compiler = new("@timestamp");

    [Theory]
    [InlineData("\"a\\\" } , \\\"script\\\": {\"")]
    [InlineData("message:\"x\\\"}}, \\\"script\\\": {\\\"source\\\": \\\"1\\\"}, \\\"y\\\": {\\\"\"")]
    [InlineData("script:\"doc['x'].value > 1\"")]
    [InlineData("_source:*")]
    [InlineData("\"_source\":x")]
    [InlineData("\"{\\\"script\\\":1}\":v")]
    [InlineData("\"a.b}{c\":x*")]
    [InlineData("\"*\":x")]
    [InlineData("f*:\"v\"")]
    [InlineData("status >= \"1}, \\\"script\\\": {\"")]
    [InlineData("x:\\(a\\)\\:b*")]
    [InlineData("GET /api/* AND b OR c~2 /re.*gex/")]
    [InlineData("\"\\u0000\\n\\r\\t\\\\\"")]
    [InlineData("f:(a or \"b\\\"c\" or d*)")]
    public void Compile_HostileQuery_OnlyCompilerClausesAndTheQuerysOwnValues(string kql)
    {
        var node = KqlParser.Parse(kql).ShouldNotBeNull();

        AssertSafe(node, kql);
    }

    [Fact]
    public void Compile_FieldNamedScript_IsAMatchOnThatFieldNotAScriptQuery()
    {
        var dsl = Wire(_compiler.Compile(KqlParser.Parse("script:\"doc['x'].value\"")));

        dsl.ShouldBe("""{"match_phrase":{"script":"doc['x'].value"}}""");
    }

    [Fact]
    public void Compile_ValueWithJsonSyntax_OneStringInTheWireJson()
    {
        const string value = "\"}, \"script\": {\"source\": \"System.exit(0)\"}, \"x\": {\"";
        var node = new KqlMatch("message", new KqlValue(value, Quoted: true));

        var parsed = JsonNode.Parse(Wire(_compiler.Compile(node)))!.AsObject();

        parsed.Select(kv => kv.Key).ShouldBe(["match_phrase"]);
        parsed["match_phrase"]!.AsObject().Select(kv => kv.Key).ShouldBe(["message"]);
        parsed["match_phrase"]!["message"]!.GetValue<string>().ShouldBe(value);
    }

    [Theory]
    [InlineData("not ", "a", "")]
    [InlineData("a and (b or ", "c", ")")]
    [InlineData("(", "a", ")")]
    public void Compile_DeepestNestingTheParserAllows_SerializesForTheWire(string open, string leaf, string close)
    {
        var kql = string.Concat(Enumerable.Repeat(open, KqlParser.MaxDepth)) + leaf + string.Concat(Enumerable.Repeat(close, KqlParser.MaxDepth));

        AssertSafe(KqlParser.Parse(kql).ShouldNotBeNull(), kql[..40]);
    }

    [Fact]
    public async Task SearchAsync_DeepestNestingTheParserAllows_TheClientSendsTheWholeQuery()
    {
        var kql = string.Concat(Enumerable.Repeat("not ", KqlParser.MaxDepth)) + "a";
        var dsl = _compiler.Compile(KqlParser.Parse(kql));
        await using var fake = await FakeElasticsearch.StartAsync();
        fake.Responder = _ => FakeReply.Ok("""{"hits":{"total":{"value":0},"hits":[]}}""");
        using var http = new HttpClient();
        var client = new ElasticsearchClient(http, new ElasticsearchOptions { Url = fake.Url, RequestTimeout = TimeSpan.FromSeconds(10) }, TimeProvider.System);

        await client.SearchAsync("logs-*", new JsonObject { ["query"] = dsl }, CancellationToken.None);

        var sent = JsonNode.Parse(fake.Requests.ShouldHaveSingleItem().Body, documentOptions: new JsonDocumentOptions { MaxDepth = 1024 })!;
        JsonNode.DeepEquals(sent["query"], dsl).ShouldBeTrue();
    }

    [Fact]
    public void Parse_NestingBeyondTheLimit_SyntaxErrorWithPositionNotStackOverflow()
    {
        var kql = string.Concat(Enumerable.Repeat("(", 100_000)) + "a" + string.Concat(Enumerable.Repeat(")", 100_000));

        var error = Should.Throw<KqlSyntaxException>(() => KqlParser.Parse(kql));

        error.Position.ShouldBe(KqlParser.MaxDepth);
        error.Message.ShouldContain($"at most {KqlParser.MaxDepth} levels of nesting");
    }

    [Fact]
    public void Compile_GeneratedTrees_SafeAndValuesRoundTrip() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(KqlGenerators.Node.ToArbitrary(), node => AssertSafe(node, KqlPrinter.Print(node))));

    [Fact]
    public void ParseAndCompile_AnyText_SyntaxErrorOrSafeDsl() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(
            Gen.OneOf(KqlGenerators.KqlLikeText, KqlGenerators.EditedQueryText, KqlGenerators.AnyText).ToArbitrary(),
            text =>
            {
                KqlNode? node;
                try
                {
                    node = KqlParser.Parse(text);
                }
                catch (KqlSyntaxException error)
                {
                    error.Position.ShouldBeInRange(0, text.Length);
                    return;
                }

                if (node is null)
                {
                    _compiler.Compile(node).ToJsonString().ShouldBe("""{"match_all":{}}""");
                    return;
                }

                AssertSafe(node, text);
            }));

    /// <summary>The DSL survives the wire, has only compiler clauses, and holds exactly the query's leaves in order.</summary>
    private void AssertSafe(KqlNode node, string described)
    {
        var dsl = _compiler.Compile(node);
        var parsed = JsonNode.Parse(Wire(dsl), documentOptions: new JsonDocumentOptions { MaxDepth = 1024 }).ShouldBeOfType<JsonObject>();
        var found = new List<string>();
        Walk(parsed, found, described);
        found.ShouldBe(Expected(node).Select(WellFormed), described);
    }

    private static string Wire(JsonObject dsl) => dsl.ToJsonString(WireJson);

    /// <summary>Each leaf clause, checked for exactly its keys, written as one line: kind, field, value.</summary>
    private static void Walk(JsonNode? clause, List<string> found, string described)
    {
        var obj = clause.ShouldBeOfType<JsonObject>(described);
        obj.Count.ShouldBe(1, $"one clause per object: {obj.ToJsonString()}");
        var (kind, body) = obj.First();
        kind.ShouldBeOneOf(Clauses);
        var b = body.ShouldBeOfType<JsonObject>();
        switch (kind)
        {
            case "bool":
                var keys = b.Select(kv => kv.Key).ToList();
                (keys.SequenceEqual(["filter"]) || keys.SequenceEqual(["should", "minimum_should_match"]) || keys.SequenceEqual(["must_not"])).ShouldBeTrue(b.ToJsonString());
                if (b["minimum_should_match"] is { } minimum)
                {
                    minimum.GetValue<int>().ShouldBe(1);
                }

                foreach (var inner in b[keys[0]].ShouldBeOfType<JsonArray>())
                {
                    Walk(inner, found, described);
                }

                break;
            case "multi_match":
                b.Select(kv => kv.Key).ShouldBe(["type", "query", "lenient"]);
                b["lenient"]!.GetValue<bool>().ShouldBeTrue();
                found.Add($"text|{b["type"]!.GetValue<string>()}|{b["query"]!.GetValue<string>()}");
                break;
            case "query_string":
                var field = "*";
                if (b.Count == 2)
                {
                    b.Select(kv => kv.Key).ShouldBe(["fields", "query"]);
                    field = b["fields"].ShouldBeOfType<JsonArray>().ShouldHaveSingleItem()!.GetValue<string>();
                }
                else
                {
                    b.Select(kv => kv.Key).ShouldBe(["query"]);
                }

                found.Add($"wildcard|{field}|{Unescape(b["query"]!.GetValue<string>())}");
                break;
            case "match" or "match_phrase":
                var (matchField, value) = b.ShouldHaveSingleItem();
                found.Add($"{kind}|{matchField}|{value!.GetValue<string>()}");
                break;
            case "exists":
                b.Select(kv => kv.Key).ShouldBe(["field"]);
                found.Add($"exists|{b["field"]!.GetValue<string>()}");
                break;
            default:
                var (rangeField, bounds) = b.ShouldHaveSingleItem();
                var (op, bound) = bounds.ShouldBeOfType<JsonObject>().ShouldHaveSingleItem();
                op.ShouldBeOneOf("gt", "gte", "lt", "lte");
                var text = bound!.GetValueKind() == JsonValueKind.String ? bound.GetValue<string>() : Number(bound.GetValue<double>());
                found.Add($"range|{rangeField}|{op}|{text}");
                break;
        }
    }

    /// <summary>What <see cref="Walk"/> must find for the tree, from the tree alone.</summary>
    private static List<string> Expected(KqlNode node)
    {
        var leaves = new List<string>();
        void Visit(KqlNode n)
        {
            switch (n)
            {
                case KqlAnd a:
                    Visit(a.Left);
                    Visit(a.Right);
                    break;
                case KqlOr o:
                    Visit(o.Left);
                    Visit(o.Right);
                    break;
                case KqlNot not:
                    Visit(not.Operand);
                    break;
                case KqlText { Value: var v }:
                    leaves.Add(v.IsWildcard ? $"wildcard|*|{v.Text}" : $"text|{(v.Quoted ? "phrase" : "best_fields")}|{v.Text}");
                    break;
                case KqlMatch { Value: var v } m:
                    leaves.Add(v.IsWildcard ? $"wildcard|{m.Field}|{v.Text}" : $"{(v.Quoted ? "match_phrase" : "match")}|{m.Field}|{v.Text}");
                    break;
                case KqlExists e:
                    leaves.Add($"exists|{e.Field}");
                    break;
                case KqlRange r:
                    var op = r.Operator switch
                    {
                        KqlRangeOperator.GreaterThan => "gt",
                        KqlRangeOperator.GreaterThanOrEqual => "gte",
                        KqlRangeOperator.LessThan => "lt",
                        _ => "lte",
                    };
                    var d = double.NaN;
                    var number = !r.Value.Quoted && r.Field != "@timestamp"
                        && double.TryParse(r.Value.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out d)
                        && double.IsFinite(d);
                    leaves.Add($"range|{r.Field}|{op}|{(number ? Number(d) : r.Value.Text)}");
                    break;
            }
        }

        Visit(node);
        return leaves;
    }

    /// <summary>
    /// The text as UTF-8 carries it: a lone surrogate (which no browser sends: its form inputs are UTF-8) becomes
    /// U+FFFD on the wire, a changed character, never a changed structure.
    /// </summary>
    private static string WellFormed(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>A number as a leaf line; -0 and 0 are one number (a long has no -0).</summary>
    private static string Number(double value) => "#" + (value + 0.0).ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// The text a <c>query_string</c> query means, reading it as Elasticsearch does: a backslash makes the next
    /// character literal; an unescaped character must be a letter, digit, <c>*</c> or other character with no
    /// meaning there, else the query could say more than the value.
    /// </summary>
    private static string Unescape(string query)
    {
        var text = new StringBuilder();
        for (var i = 0; i < query.Length; i++)
        {
            if (query[i] == '\\')
            {
                i.ShouldBeLessThan(query.Length - 1, $"a dangling escape in {query}");
                text.Append(query[++i]);
                continue;
            }

            ("+-=&|><!(){}[]^\"~?:\\/".Contains(query[i], StringComparison.Ordinal) || char.IsWhiteSpace(query[i])).ShouldBeFalse($"'{query[i]}' unescaped in {query}");
            text.Append(query[i]);
        }

        return text.ToString();
    }
}
