using FsCheck;
using FsCheck.Fluent;
using Microsoft.Data.Sqlite;
using Portal.Core.Logs;
using Portal.Core.Logs.Kql;
using Portal.Core.Tests.Logs.Kql;
using static Portal.Logs.Tests.Embedded.EmbeddedStoreHarness;

namespace Portal.Logs.Tests.Embedded;

/// <summary>
/// Hostile search terms and field names against a real SQLite store: SQL and FTS5 syntax in a query is searched for
/// as text (values are parameters and FTS5 tokens are encoded to <c>[a-z0-9_]</c>), the tables stay as they were, and
/// no query reaches rows of an environment outside its scopes.
/// </summary>
public sealed class EmbeddedLogStoreInjectionTests : IDisposable
{
    private const string Drop = "'); DROP TABLE log_lines;--";

    private readonly EmbeddedStoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    public static TheoryData<string> HostileTerms() =>
    [
        Drop, "\" OR 1=1 --", "a\" OR \"b", "x' OR '1'='1", "NEAR(a b)", "terms : \"z\"", "^start", "col:*", "$lo", "?1", ":p0",
        "*", "\"", "\\", "\0", "');--", "'; ATTACH DATABASE '/tmp/x' AS x;--", "(terms : \"z\") OR (terms : \"y\")",
    ];

    [Theory]
    [MemberData(nameof(HostileTerms))]
    public async Task SearchAsync_HostileValue_FindsTheLiteralAndLeavesTheTables(string term)
    {
        await SeedAsync(term);

        (await _h.FindAsync(new KqlMatch("message.keyword", Q(term)))).ShouldBe(["literal"]);
        (await _h.FindAsync(new KqlMatch("message", Q(term)))).ShouldBeSubsetOf(["literal", "other"]);
        (await _h.FindAsync(new KqlMatch("other.keyword", Q(term)))).ShouldBeEmpty();
        (await _h.FindAsync(new KqlText(Q(term)))).ShouldBeSubsetOf(["literal", "other"]);
        (await _h.FindAsync(new KqlNot(new KqlMatch("message.keyword", Q(term))))).ShouldBe(["other", "plain"]);
        await AssertIntactAsync();
    }

    [Fact]
    public async Task SearchAsync_DropTableAsQueryText_LiteralFoundTableStillThere()
    {
        await SeedAsync(Drop);

        (await _h.FindAsync(KqlParser.Parse($"message.keyword:\"{Drop}\""))).ShouldBe(["literal"]);
        (await _h.FindAsync(KqlParser.Parse("\"DROP TABLE log_lines\""))).ShouldBe(["literal"]);
        await AssertIntactAsync();
    }

    [Theory]
    [InlineData("a\" OR \"b")]
    [InlineData("x'); DROP TABLE log_lines;--")]
    [InlineData("terms")]
    [InlineData("doc\" : \"literal")]
    public async Task SearchAsync_HostileFieldName_OnlyThatField(string field)
    {
        await _h.AddAsync(
            $$"""{"doc":"named",{{System.Text.Json.JsonSerializer.Serialize(field)}}:"v"}""",
            """{"doc":"plain","a":"v","b":"v","x":"v","doc\" ":"v"}""");

        (await _h.FindAsync(new KqlMatch(field, V("v")))).ShouldBe(["named"]);
        (await _h.FindAsync(new KqlExists(field))).ShouldBe(["named"]);
        await AssertIntactAsync(expectedRows: 2);
    }

    [Fact]
    public async Task SearchAsync_AnyGeneratedQuery_ResultsOrInvalidQueryOnlyAndNeverAnotherEnvironment()
    {
        await _h.AddAsync("dev", Now.AddMinutes(-5),
            """{"doc":"dev-1","message":"a b and or not","status":500,"f":{"x":"é日"}}""",
            """{"doc":"dev-2","message":"'); DROP TABLE log_lines;--","@timestamp":"2026-11-22T11:55:00Z"}""");
        await _h.AddAsync("prod", Now.AddMinutes(-5),
            """{"doc":"prod-1","message":"a b and or not","status":500,"f":{"x":"é日"}}""",
            """{"doc":"prod-2","message":"'); DROP TABLE log_lines;--"}""");
        var failures = 0;

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), Prop.ForAll(KqlGenerators.Node.ToArbitrary(), node =>
        {
            List<string> found;
            try
            {
                found = _h.FindAsync(node, "dev").GetAwaiter().GetResult();
            }
            catch (LogBackendException ex) when (ex.Failure == LogBackendFailure.InvalidQuery)
            {
                // Only a time the @timestamp field cannot be compared with is refused; say so in the query's words.
                ex.Message.ShouldContain("@timestamp");
                failures++;
                return;
            }

            found.ShouldAllBe(doc => doc.StartsWith("dev-", StringComparison.Ordinal), KqlPrinter.Print(node));
        }));

        failures.ShouldBeLessThan(150, "most generated queries run");
        await AssertIntactAsync(expectedRows: 4);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(KqlParser.MaxDepth / 2)]
    public async Task SearchAsync_DeepNesting_RightRowsOrAnInvalidQuerySayingSo(int levels)
    {
        await SeedAsync("x");

        // Each level is a "not" and a parenthesis (the parser allows MaxDepth / 2 of them). Level k is "plain or not
        // level k-1", so from nothing the levels alternate between every row and "plain".
        var kql = string.Concat(Enumerable.Repeat("message:plain or not (", levels)) + "message:none" + new string(')', levels);
        List<string> found;
        try
        {
            found = await _h.FindAsync(KqlParser.Parse(kql));
        }
        catch (LogBackendException ex) when (levels > 10)
        {
            // FTS5's expression parser has a fixed stack: too deep a query is refused in words, not with SQLite's.
            ex.Failure.ShouldBe(LogBackendFailure.InvalidQuery);
            ex.Message.ShouldBe("The query nests too deeply for the embedded log store; use fewer levels of parentheses and 'not'.");
            return;
        }

        found.ShouldBe(levels % 2 == 0 ? ["plain"] : ["literal", "other", "plain"]);
    }

    private Task SeedAsync(string term) => _h.AddAsync(
        $$"""{"doc":"literal","message":{{System.Text.Json.JsonSerializer.Serialize(term)}}}""",
        """{"doc":"other","message":"something else entirely OR 1=1 DROP TABLE terms y z"}""",
        """{"doc":"plain","message":"plain"}""");

    /// <summary>The store's tables are all there, with their rows, read through a connection of the test's own.</summary>
    private async Task AssertIntactAsync(int expectedRows = 3)
    {
        using var connection = new SqliteConnection($"Data Source={_h.Path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        using var tables = connection.CreateCommand();
        tables.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('log_lines', 'log_fts', 'log_fields', 'log_envs') ORDER BY name";
        var names = new List<string>();
        using (var reader = await tables.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        names.ShouldBe(["log_envs", "log_fields", "log_fts", "log_lines"]);
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM log_lines";
        ((long)(await count.ExecuteScalarAsync())!).ShouldBe(expectedRows);
        (await _h.FindAsync(null, "dev", "prod")).Count.ShouldBe(expectedRows);
    }
}
