using Portal.Core.Logs;
using Portal.Core.Logs.Kql;
using static Portal.Logs.Tests.Embedded.EmbeddedStoreHarness;

namespace Portal.Logs.Tests.Embedded;

/// <summary>What each kind of KQL node finds in the embedded store: the meaning Kibana gives it against Elasticsearch.</summary>
public sealed class EmbeddedLogStoreQueryTests : IDisposable
{
    private readonly EmbeddedStoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task SearchAsync_UnquotedFreeText_MatchesAnyWordInAnyField()
    {
        await _h.AddAsync(
            """{"doc":"a","log":"Disk FULL on node"}""",
            """{"doc":"b","message":"payment failed","level":"error"}""",
            """{"doc":"c","log":"all good","kubernetes":{"pod_name":"checkout-1"}}""");

        (await _h.FindAsync(new KqlText(V("full failed")))).ShouldBe(["a", "b"]);
        (await _h.FindAsync(new KqlText(V("checkout")))).ShouldBe(["c"]);
        (await _h.FindAsync(new KqlText(V("nothing-here")))).ShouldBeEmpty();
    }

    [Fact]
    public async Task SearchAsync_QuotedFreeText_MatchesAdjacentWordsWithinOneFieldOnly()
    {
        await _h.AddAsync(
            """{"doc":"adjacent","log":"the payment failed now"}""",
            """{"doc":"apart","log":"payment of 5 failed"}""",
            """{"doc":"reversed","log":"failed payment"}""",
            """{"doc":"across","a":"payment","b":"failed"}""",
            """{"doc":"array","tags":["x payment","failed y"]}""");

        (await _h.FindAsync(new KqlText(Q("payment failed")))).ShouldBe(["adjacent"]);
        (await _h.FindAsync(new KqlText(Q("Payment")))).ShouldBe(["adjacent", "apart", "across", "array", "reversed"], ignoreOrder: true);
    }

    [Fact]
    public async Task SearchAsync_FreeTextWildcard_TrailingIsWordPrefixOtherwiseScan()
    {
        await _h.AddAsync(
            """{"doc":"a","log":"payments are slow"}""",
            """{"doc":"b","path":"/api/pay/123"}""",
            """{"doc":"c","log":"repayment done"}""");

        (await _h.FindAsync(new KqlText(V("pay*")))).ShouldBe(["a", "b"]);
        (await _h.FindAsync(new KqlText(V("*payment*")))).ShouldBe(["a", "c"]);
        (await _h.FindAsync(new KqlText(V("/api/pay*")))).ShouldBe(["b"]);
        (await _h.FindAsync(new KqlText(V("p*s")))).ShouldBe(["a"]);
    }

    [Fact]
    public async Task SearchAsync_FieldMatch_MatchesAnyWordOfThatFieldOnly()
    {
        await _h.AddAsync(
            """{"doc":"a","level":"error","log":"fine"}""",
            """{"doc":"b","level":"info","log":"error while reading"}""",
            """{"doc":"c","level":"WARN"}""");

        (await _h.FindAsync(new KqlMatch("level", V("error")))).ShouldBe(["a"]);
        (await _h.FindAsync(new KqlMatch("level", V("warn error")))).ShouldBe(["a", "c"]);
        (await _h.FindAsync(new KqlMatch("LEVEL", V("Warn")))).ShouldBe(["c"]);
        (await _h.FindAsync(new KqlMatch("missing", V("error")))).ShouldBeEmpty();
    }

    [Fact]
    public async Task SearchAsync_QuotedFieldMatch_IsPhraseWithinTheField()
    {
        await _h.AddAsync(
            """{"doc":"a","msg":"GET /api/orders took long"}""",
            """{"doc":"b","msg":"orders api GET"}""",
            """{"doc":"c","path":"/api/orders","msg":"x"}""");

        (await _h.FindAsync(new KqlMatch("msg", Q("/api/orders")))).ShouldBe(["a"]);
        (await _h.FindAsync(new KqlMatch("msg", V("/api/orders")))).ShouldBe(["a", "b"]);
    }

    [Fact]
    public async Task SearchAsync_KeywordSubField_MatchesTheWholeValueOnly()
    {
        var longValue = new string('x', 300);
        await _h.AddAsync(
            """{"doc":"a","path":"/api/orders"}""",
            """{"doc":"b","path":"/api/orders/1"}""",
            $$"""{"doc":"c","path":"{{longValue}}"}""");

        (await _h.FindAsync(new KqlMatch("path.keyword", Q("/api/orders")))).ShouldBe(["a"]);
        (await _h.FindAsync(new KqlMatch("path.keyword", V("/API/orders")))).ShouldBe(["a"]);
        (await _h.FindAsync(new KqlMatch("path", Q("/api/orders")))).ShouldBe(["a", "b"]);
        // Past ignore_above (256) there is no keyword, but the words are still searchable.
        (await _h.FindAsync(new KqlMatch("path.keyword", Q(longValue)))).ShouldBeEmpty();
        (await _h.FindAsync(new KqlMatch("path", V(longValue)))).ShouldBe(["c"]);
    }

    [Fact]
    public async Task SearchAsync_LongKeywords_MatchExactlyAndByPrefixBeyondWhatTheTokenHolds()
    {
        var common = new string('a', 70);
        await _h.AddAsync(
            $$"""{"doc":"one","log":"{{common}} one"}""",
            $$"""{"doc":"two","log":"{{common}} two"}""",
            """{"doc":"short","log":"aaa"}""");

        (await _h.FindAsync(new KqlMatch("log.keyword", Q(common + " one")))).ShouldBe(["one"]);
        (await _h.FindAsync(new KqlMatch("log.keyword", Q(common)))).ShouldBeEmpty();
        (await _h.FindAsync(new KqlMatch("log", V(common + " t*")))).ShouldBe(["two"]);
        (await _h.FindAsync(new KqlMatch("log", V("aaa*")))).ShouldBe(["one", "short", "two"]);
        (await _h.FindAsync(new KqlMatch("log.keyword", V(common + "*")))).ShouldBe(["one", "two"]);
    }

    [Fact]
    public async Task SearchAsync_NumberValue_MatchesNumericallyAndAsText()
    {
        await _h.AddAsync(
            """{"doc":"a","status":500}""",
            """{"doc":"b","status":"500"}""",
            """{"doc":"c","status":5000}""",
            """{"doc":"d","status":200,"log":"500 errors"}""");

        (await _h.FindAsync(new KqlMatch("status", V("500")))).ShouldBe(["a", "b"]);
        (await _h.FindAsync(new KqlMatch("status", V("500.0")))).ShouldBe(["a", "b"]);
        (await _h.FindAsync(new KqlText(V("500")))).ShouldBe(["a", "b", "d"]);
    }

    [Fact]
    public async Task SearchAsync_NumericRange_ComparesNumbersNotText()
    {
        await _h.AddAsync(
            """{"doc":"s90","status":90}""",
            """{"doc":"t90","status":"90"}""",
            """{"doc":"s500","status":500}""",
            """{"doc":"s503","status":"503"}""",
            """{"doc":"s1000","status":1000}""",
            """{"doc":"neg","status":-7.5}""",
            """{"doc":"frac","status":499.99}""",
            """{"doc":"none","level":"info"}""");

        (await _h.FindAsync(new KqlRange("status", KqlRangeOperator.GreaterThanOrEqual, V("500")))).ShouldBe(["s1000", "s500", "s503"]);
        (await _h.FindAsync(new KqlRange("status", KqlRangeOperator.GreaterThan, V("500")))).ShouldBe(["s1000", "s503"]);
        (await _h.FindAsync(new KqlRange("status", KqlRangeOperator.LessThan, V("500")))).ShouldBe(["frac", "neg", "s90", "t90"]);
        (await _h.FindAsync(new KqlRange("status", KqlRangeOperator.LessThanOrEqual, V("-7.5")))).ShouldBe(["neg"]);
        (await _h.FindAsync(new KqlRange("status", KqlRangeOperator.LessThan, V("-1000")))).ShouldBeEmpty();
    }

    [Fact]
    public async Task SearchAsync_StringRange_ComparesOrdinallyIgnoringCase()
    {
        await _h.AddAsync(
            """{"doc":"a","version":"alpha"}""",
            """{"doc":"b","version":"Beta"}""",
            """{"doc":"c","version":"gamma"}""",
            """{"doc":"d","other":"zzz"}""");

        (await _h.FindAsync(new KqlRange("version", KqlRangeOperator.GreaterThanOrEqual, V("beta")))).ShouldBe(["b", "c"]);
        (await _h.FindAsync(new KqlRange("version", KqlRangeOperator.LessThan, V("BETA")))).ShouldBe(["a"]);
    }

    [Fact]
    public async Task SearchAsync_TimestampRange_ComparesInstantsIncludingDateMath()
    {
        await _h.AddAsync("dev", Now.AddHours(-3), """{"doc":"old"}""");
        await _h.AddAsync("dev", Now.AddMinutes(-30), """{"doc":"recent"}""");
        await _h.AddAsync("dev", Now.AddMinutes(-1), """{"doc":"new"}""");

        (await _h.FindAsync(new KqlRange("@timestamp", KqlRangeOperator.GreaterThanOrEqual, V("now-1h")))).ShouldBe(["new", "recent"]);
        (await _h.FindAsync(new KqlRange("@timestamp", KqlRangeOperator.LessThan, V(Now.AddMinutes(-30).ToString("O", System.Globalization.CultureInfo.InvariantCulture))))).ShouldBe(["old"]);
        (await _h.FindAsync(new KqlRange("@timestamp", KqlRangeOperator.LessThanOrEqual, V(Now.AddMinutes(-30).ToString("O", System.Globalization.CultureInfo.InvariantCulture))))).ShouldBe(["old", "recent"]);
        (await _h.FindAsync(new KqlOr(new KqlMatch("doc", V("old")), new KqlRange("@timestamp", KqlRangeOperator.GreaterThan, V("now-5m"))))).ShouldBe(["new", "old"]);
        var bad = await Should.ThrowAsync<LogBackendException>(() => _h.FindAsync(new KqlRange("@timestamp", KqlRangeOperator.GreaterThan, V("yesterday-ish"))));
        bad.Failure.ShouldBe(LogBackendFailure.InvalidQuery);
    }

    [Fact]
    public async Task SearchAsync_Exists_FindsNestedAndDottedKeysAlike()
    {
        await _h.AddAsync(
            """{"doc":"nested","kubernetes":{"pod_name":"web-1","labels":{"app":"checkout"}}}""",
            """{"doc":"dotted","kubernetes.pod_name":"web-2","kubernetes.labels.app":"payments"}""",
            """{"doc":"neither","kubernetes":{"namespace_name":"dev"}}""");

        (await _h.FindAsync(new KqlExists("kubernetes.pod_name"))).ShouldBe(["dotted", "nested"]);
        (await _h.FindAsync(new KqlMatch("kubernetes.pod_name", Q("web-2")))).ShouldBe(["dotted"]);
        (await _h.FindAsync(new KqlMatch("kubernetes.labels.*", V("checkout payments")))).ShouldBe(["dotted", "nested"]);
        (await _h.FindAsync(new KqlExists("kubernetes.labels.*"))).ShouldBe(["dotted", "nested"]);
        (await _h.FindAsync(new KqlExists("nope.*"))).ShouldBeEmpty();
    }

    [Fact]
    public async Task SearchAsync_FieldWildcard_PrefixUsesKeywordOrWordAndOthersScan()
    {
        await _h.AddAsync(
            """{"doc":"pay","path":"/api/payments/1"}""",
            """{"doc":"capture","path":"/api/payments/1/capture"}""",
            """{"doc":"orders","path":"/api/orders"}""",
            """{"doc":"other","log":"/api/payments"}""");

        (await _h.FindAsync(new KqlMatch("path", V("/api/pay*")))).ShouldBe(["capture", "pay"]);
        (await _h.FindAsync(new KqlMatch("path", V("pay*")))).ShouldBe(["capture", "pay"]);
        (await _h.FindAsync(new KqlMatch("path.keyword", V("pay*")))).ShouldBeEmpty();
        (await _h.FindAsync(new KqlMatch("path", V("*capture")))).ShouldBe(["capture"]);
        (await _h.FindAsync(new KqlMatch("path", V("/api/*/1")))).ShouldBe(["pay"]);
        (await _h.FindAsync(new KqlMatch("path", V("ord*s")))).ShouldBe(["orders"]);
        (await _h.FindAsync(new KqlMatch("path", V("*")))).ShouldBe(["capture", "orders", "pay"]);
    }

    [Fact]
    public async Task SearchAsync_Not_IncludesDocumentsWithoutTheField()
    {
        await _h.AddAsync(
            """{"doc":"debug","level":"debug"}""",
            """{"doc":"info","level":"info"}""",
            """{"doc":"bare","log":"no level here"}""");

        (await _h.FindAsync(new KqlNot(new KqlMatch("level", V("debug"))))).ShouldBe(["bare", "info"]);
        (await _h.FindAsync(new KqlNot(new KqlMatch("level", V("*bug"))))).ShouldBe(["bare", "info"]);
        (await _h.FindAsync(new KqlNot(new KqlNot(new KqlExists("level"))))).ShouldBe(["debug", "info"]);
    }

    [Fact]
    public async Task SearchAsync_BooleanMix_CombinesFtsRangesAndScans()
    {
        await _h.AddAsync(
            """{"doc":"err-health","level":"error","status":500,"path":"/healthz"}""",
            """{"doc":"err","level":"error","status":200,"path":"/api/orders"}""",
            """{"doc":"fivexx","level":"info","status":503,"path":"/api/pay"}""",
            """{"doc":"ok","level":"info","status":200,"path":"/api/orders"}""",
            """{"doc":"health-ok","level":"info","status":200,"path":"/healthz"}""");

        var query = new KqlAnd(
            new KqlOr(new KqlMatch("level", V("error")), new KqlRange("status", KqlRangeOperator.GreaterThanOrEqual, V("500"))),
            new KqlNot(new KqlMatch("path", Q("/healthz"))));
        (await _h.FindAsync(query)).ShouldBe(["err", "fivexx"]);

        var withScan = new KqlOr(new KqlMatch("path", V("*pay")), new KqlAnd(new KqlMatch("level", V("error")), new KqlNot(new KqlMatch("path", V("*health*")))));
        (await _h.FindAsync(withScan)).ShouldBe(["err", "fivexx"]);
        (await _h.FindAsync(new KqlAnd(new KqlText(V("orders")), new KqlRange("status", KqlRangeOperator.LessThan, V("300"))))).ShouldBe(["err", "ok"]);
    }

    [Fact]
    public async Task SearchAsync_BooleansAndEmptyQuery_MatchAsExpected()
    {
        await _h.AddAsync(
            """{"doc":"t","cached":true}""",
            """{"doc":"f","cached":false}""");

        (await _h.FindAsync(new KqlMatch("cached", V("true")))).ShouldBe(["t"]);
        (await _h.FindAsync(null)).ShouldBe(["f", "t"]);
        (await _h.FindAsync(new KqlText(V("*")))).ShouldBe(["f", "t"]);
    }

    [Fact]
    public async Task SearchAsync_Scopes_NeverReturnAnotherEnvironmentsDocuments()
    {
        await _h.AddAsync("dev", Now.AddMinutes(-5), """{"doc":"dev-1","level":"error"}""");
        await _h.AddAsync("prod", Now.AddMinutes(-5), """{"doc":"prod-1","level":"error"}""");
        await _h.AddAsync("staging", Now.AddMinutes(-5), """{"doc":"stg-1","level":"error"}""");

        (await _h.FindAsync(new KqlMatch("level", V("error")), "dev")).ShouldBe(["dev-1"]);
        (await _h.FindAsync(null, "prod")).ShouldBe(["prod-1"]);
        (await _h.FindAsync(new KqlNot(new KqlMatch("level", V("info"))), "dev", "staging")).ShouldBe(["dev-1", "stg-1"]);
        (await _h.FindAsync(new KqlMatch("level", V("*rror")), "staging")).ShouldBe(["stg-1"]);
        (await _h.FindAsync(null, "dev", "prod", "staging")).ShouldBe(["dev-1", "prod-1", "stg-1"]);
        (await _h.FindAsync(null, "unknown")).ShouldBeEmpty();
        var hit = (await _h.SearchAsync(null, "prod")).Hits.ShouldHaveSingleItem();
        hit.Environment.ShouldBe("prod");
    }
}
