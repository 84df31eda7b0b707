using System.Text.Json.Nodes;
using Portal.Core.Logs;
using Portal.Core.Logs.Kql;
using Portal.Logs.Elasticsearch;

namespace Portal.Logs.Tests.Elasticsearch;

public sealed class ElasticsearchSearchBodyTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static SearchPlan Plan(KqlNode? query = null) => new()
    {
        Query = new ElasticsearchQueryCompiler().Compile(query),
        From = From,
        To = To,
        Size = 100,
        TimestampField = "@timestamp",
        Tiebreaker = "_shard_doc",
    };

    [Fact]
    public void Build_FullPage_IsKibanasDiscoverBodyWithEveryPart()
    {
        var plan = Plan(new KqlMatch("level", new KqlValue("error", false))) with
        {
            ScopeFilter = new JsonObject { ["terms"] = new JsonObject { ["kubernetes.namespace_name"] = new JsonArray("shop-prod") } },
            HistogramInterval = TimeSpan.FromMinutes(1),
            PitId = "pit-1",
            SearchAfter = new JsonArray("2026-11-22T09:30:00.123456789Z", 42),
        };

        ElasticsearchSearchBody.Build(plan).ToJsonString().ShouldBe(ReferenceData.Compact("""
            {
              "size": 100,
              "track_total_hits": true,
              "sort": [
                {"@timestamp": {"order": "desc", "format": "strict_date_optional_time_nanos"}},
                {"_shard_doc": "desc"}
              ],
              "query": {"bool": {"filter": [
                {"match": {"level": "error"}},
                {"range": {"@timestamp": {"gte": "2026-11-22T09:00:00.000Z", "lte": "2026-11-22T10:00:00.000Z", "format": "strict_date_optional_time"}}},
                {"terms": {"kubernetes.namespace_name": ["shop-prod"]}}
              ]}},
              "aggs": {"histogram": {"date_histogram": {
                "field": "@timestamp", "fixed_interval": "1m", "min_doc_count": 0,
                "extended_bounds": {"min": 1795338000000, "max": 1795341600000}
              }}},
              "pit": {"id": "pit-1", "keep_alive": "2m"},
              "search_after": ["2026-11-22T09:30:00.123456789Z", 42]
            }
            """));
    }

    [Fact]
    public void Build_OldestFirst_SortsBothKeysAscending()
    {
        var body = ElasticsearchSearchBody.Build(Plan() with { Order = LogOrder.OldestFirst, Tiebreaker = "_id" });

        body["sort"]!.ToJsonString().ShouldBe(ReferenceData.Compact("""
            [{"@timestamp": {"order": "asc", "format": "strict_date_optional_time_nanos"}}, {"_id": "asc"}]
            """));
    }

    [Fact]
    public void Build_NoQuery_FiltersOnTheTimeRangeAloneWithoutHistogramPitOrSearchAfter()
    {
        var body = ElasticsearchSearchBody.Build(Plan());

        body["query"]!.ToJsonString().ShouldBe(ReferenceData.Compact("""
            {"bool": {"filter": [{"range": {"@timestamp": {"gte": "2026-11-22T09:00:00.000Z", "lte": "2026-11-22T10:00:00.000Z", "format": "strict_date_optional_time"}}}]}}
            """));
        body.ContainsKey("aggs").ShouldBeFalse();
        body.ContainsKey("pit").ShouldBeFalse();
        body.ContainsKey("search_after").ShouldBeFalse();
    }

    [Fact]
    public void Build_ExcludedDocument_IsAMustNotIdsClause()
    {
        var body = ElasticsearchSearchBody.Build(Plan() with { ExcludeId = "doc-7" });

        body["query"]!["bool"]!["must_not"]!.ToJsonString().ShouldBe("""[{"ids":{"values":["doc-7"]}}]""");
    }

    [Fact]
    public void Build_SizeZero_HasNoSortSoItNeedsNoPointInTime()
    {
        var body = ElasticsearchSearchBody.Build(Plan() with { Size = 0, HistogramInterval = TimeSpan.FromHours(1) });

        body.ContainsKey("sort").ShouldBeFalse();
        body["size"]!.GetValue<int>().ShouldBe(0);
        body["aggs"].ShouldNotBeNull();
    }

    [Theory]
    [InlineData(30_000, "30s")]
    [InlineData(300_000, "5m")]
    [InlineData(3_600_000, "1h")]
    [InlineData(10_800_000, "3h")]
    [InlineData(86_400_000, "1d")]
    [InlineData(90_000, "90s")]
    [InlineData(1_500, "1500ms")]
    public void FixedInterval_Interval_IsWrittenInTheLargestUnitThatDividesIt(long milliseconds, string expected) =>
        ElasticsearchSearchBody.FixedInterval(TimeSpan.FromMilliseconds(milliseconds)).ShouldBe(expected);

    [Fact]
    public void Iso_InstantWithOffset_IsUtcWithMilliseconds() =>
        ElasticsearchSearchBody.Iso(new DateTimeOffset(2026, 11, 22, 11, 0, 0, 5, TimeSpan.FromHours(2))).ShouldBe("2026-11-22T09:00:00.005Z");
}
