using System.Text.Json.Nodes;
using Portal.Core.Logs;
using Portal.Core.Logs.Kql;
using Portal.Logs.Elasticsearch;
using Portal.Testing;

namespace Portal.Logs.Tests.Elasticsearch;

/// <summary>The back end end to end against <see cref="FakeElasticsearch"/> answering with real responses.</summary>
public sealed class ElasticsearchLogSearchBackendTests : IAsyncLifetime, IDisposable
{
    private const string RawData = "lucene_raw_data.msearch_response.json";
    private static readonly DateTimeOffset From = new(2023, 4, 9, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2023, 4, 10, 0, 0, 0, TimeSpan.Zero);
    private static readonly LogScope[] Scopes = [new("prod", "shop-prod"), new("dev", "shop-dev")];

    private readonly HttpClient _http = new();
    private FakeElasticsearch _fake = null!;

    private static string EsPitId => ReferenceData.YamlValue("_global__open_point_in_time__response__OpenPointInTimeResponseExample1.yaml")["id"]!.GetValue<string>();

    public async Task InitializeAsync() => _fake = await FakeElasticsearch.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private ElasticsearchLogSearchBackend Backend(Action<ElasticsearchOptions>? configure = null, HttpClient? http = null)
    {
        var options = new ElasticsearchOptions
        {
            Url = _fake.Url,
            Flavor = ElasticsearchFlavor.Elasticsearch,
            TimestampField = "timestamp",
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return new ElasticsearchLogSearchBackend(new ElasticsearchClient(http ?? _http, options, TimeProvider.System), options);
    }

    private static LogSearchRequest Request(KqlNode? query = null) => new()
    {
        Query = query,
        From = From,
        To = To,
        Scopes = Scopes,
        Size = 20,
    };

    /// <summary>A real search response (OpenSearch flights sample) carrying the point in time it was made in.</summary>
    private static JsonObject SearchResponse(string pitId)
    {
        var response = ReferenceData.FirstMsearchResponse(RawData);
        response["pit_id"] = pitId;
        return response;
    }

    /// <summary>Elasticsearch's own PIT answer for <c>_pit</c>, a real search answer for <c>_search</c>.</summary>
    private static FakeReply Standard(RecordedRequest r) => r.Path.EndsWith("/_pit", StringComparison.Ordinal)
        ? FakeReply.Ok(ReferenceData.YamlValue("_global__open_point_in_time__response__OpenPointInTimeResponseExample1.yaml"))
        : FakeReply.Ok(SearchResponse(EsPitId));

    [Fact]
    public async Task SearchAsync_FirstPage_OpensAPointInTimeOnTheScopesIndicesThenSearchesInIt()
    {
        _fake.Responder = Standard;

        var result = await Backend().SearchAsync(Request(new KqlMatch("level", new KqlValue("error", false))), CancellationToken.None);

        _fake.Requests.Select(r => $"{r.Method} {r.PathAndQuery}").ShouldBe(["POST /logs-prod-*,logs-dev-*/_pit?keep_alive=2m", "POST /_search"]);
        _fake.Requests[0].Body.ShouldBeEmpty();
        _fake.Requests[1].Json.ToJsonString().ShouldBe(ReferenceData.Compact("""
            {
              "size": 20,
              "track_total_hits": true,
              "sort": [{"timestamp": {"order": "desc", "format": "strict_date_optional_time_nanos"}}, {"_shard_doc": "desc"}],
              "query": {"bool": {"filter": [
                {"match": {"level": "error"}},
                {"range": {"timestamp": {"gte": "2023-04-09T00:00:00.000Z", "lte": "2023-04-10T00:00:00.000Z", "format": "strict_date_optional_time"}}}
              ]}},
              "pit": {"id": "PIT", "keep_alive": "2m"}
            }
            """.Replace("PIT", EsPitId, StringComparison.Ordinal)));
        _fake.Requests[1].Header("Content-Type").ShouldBe("application/json; charset=utf-8");
        result.Total.ShouldBe(62);
        result.Hits.Count.ShouldBe(20);
        result.Hits[0].Id.ShouldBe("mPZCzIYB61inuqGyfZTQ");
        result.Hits[0].Timestamp.ShouldBe(new DateTimeOffset(2023, 4, 9, 14, 54, 34, TimeSpan.Zero));
        result.Hits[0].Source["Carrier"]!.GetValue<string>().ShouldBe("BeatsWest");
        result.Histogram.ShouldBeEmpty();
        var cursor = ElasticsearchCursor.Decode(result.Hits[0].Cursor);
        (cursor.PitId, cursor.Id, cursor.Sort.ToJsonString()).ShouldBe((EsPitId, "mPZCzIYB61inuqGyfZTQ", "[1681052074000,13058]"));
    }

    [Theory]
    [InlineData("2.11.0", "_id")]
    [InlineData("3.3.0", "_shard_doc")]
    public async Task SearchAsync_AutoFlavorFindsOpenSearch_UsesItsPointInTimeEndpointAndATiebreakerItSupports(string version, string tiebreaker)
    {
        _fake.Responder = r => r.Path switch
        {
            "/" => FakeReply.Ok($$"""{"name":"node-1","version":{"distribution":"opensearch","number":"{{version}}"},"tagline":"The OpenSearch Project: https://opensearch.org/"}"""),
            "/logs-prod-*/_search/point_in_time" => FakeReply.Ok(ReferenceData.DocsResponse("api-reference__search-apis__point-in-time-api.examples.json")),
            _ => FakeReply.Ok(SearchResponse("os-pit")),
        };
        var backend = Backend(o => o.Flavor = ElasticsearchFlavor.Auto);

        await backend.SearchAsync(Request() with { Scopes = [Scopes[0]] }, CancellationToken.None);
        await backend.SearchAsync(Request() with { Scopes = [Scopes[0]] }, CancellationToken.None);

        _fake.Requests.Select(r => $"{r.Method} {r.PathAndQuery}").ShouldBe([
            "GET /",
            "POST /logs-prod-*/_search/point_in_time?keep_alive=2m",
            "POST /_search",
            "POST /logs-prod-*/_search/point_in_time?keep_alive=2m",
            "POST /_search",
        ]);
        var search = _fake.Requests[2].Json;
        search["sort"]![1]!.ToJsonString().ShouldBe($$"""{"{{tiebreaker}}":"desc"}""");
        search["pit"]!["id"]!.GetValue<string>().ShouldStartWith("o463QQEPbXktaW5kZXgtMDAwMDAx");
    }

    [Theory]
    [InlineData("8.15.0", "_shard_doc")]
    [InlineData("7.11.2", "_id")]
    public async Task SearchAsync_AutoFlavorFindsElasticsearch_UsesPitAndATiebreakerItSupports(string version, string tiebreaker)
    {
        _fake.Responder = r => r.Path == "/"
            ? FakeReply.Ok("""{"name":"es-1","cluster_name":"logs","version":{"number":"VERSION","build_flavor":"default","lucene_version":"9.11.1"},"tagline":"You Know, for Search"}"""
                .Replace("VERSION", version, StringComparison.Ordinal))
            : Standard(r);

        await Backend(o => o.Flavor = ElasticsearchFlavor.Auto).SearchAsync(Request(), CancellationToken.None);

        _fake.Requests.Select(r => r.PathAndQuery).ShouldBe(["/", "/logs-prod-*,logs-dev-*/_pit?keep_alive=2m", "/_search"]);
        _fake.Requests[2].Json["sort"]![1]!.AsObject().Single().Key.ShouldBe(tiebreaker);
    }

    [Fact]
    public async Task SearchAsync_QueryWithNonAsciiAndPlus_IsSentAsReadableJson()
    {
        _fake.Responder = Standard;

        await Backend().SearchAsync(Request(new KqlMatch("city", new KqlValue("München+Süd", true))), CancellationToken.None);

        _fake.Requests[1].Body.ShouldContain("""{"match_phrase":{"city":"München+Süd"}}""");
    }

    [Fact]
    public async Task SearchAsync_NextPageWithACursor_SearchesAfterThatHitInTheLatestPitWithoutOpeningAnother()
    {
        _fake.Responder = r => r.Path.EndsWith("/_pit", StringComparison.Ordinal)
            ? FakeReply.Ok("""{"id":"pit-1"}""")
            : FakeReply.Ok(SearchResponse("pit-1-renewed"));
        var backend = Backend();
        var first = await backend.SearchAsync(Request(), CancellationToken.None);

        await backend.SearchAsync(Request() with { SearchAfter = first.Hits[^1].Cursor }, CancellationToken.None);

        _fake.Requests.Count.ShouldBe(3);
        var next = _fake.Requests[2];
        next.PathAndQuery.ShouldBe("/_search");
        next.Json["pit"]!.ToJsonString().ShouldBe("""{"id":"pit-1-renewed","keep_alive":"2m"}""");
        next.Json["search_after"]!.ToJsonString().ShouldBe("[1680834242000,1752]", "the last hit's sort values in the recorded response");
        next.Json["sort"]![0]!["timestamp"]!["order"]!.GetValue<string>().ShouldBe("desc");
        next.Json["query"]!["bool"]!.AsObject().ContainsKey("must_not").ShouldBeFalse();
    }

    [Fact]
    public async Task SearchAsync_CursorInTheOppositeOrder_SortsAscendingFromTheSameHit()
    {
        _fake.Responder = Standard;
        var backend = Backend();
        var anchor = (await backend.SearchAsync(Request(), CancellationToken.None)).Hits[5];

        await backend.SearchAsync(Request() with { Order = LogOrder.OldestFirst, SearchAfter = anchor.Cursor }, CancellationToken.None);

        var after = _fake.Requests[^1].Json;
        after["sort"]!.ToJsonString().ShouldBe("""[{"timestamp":{"order":"asc","format":"strict_date_optional_time_nanos"}},{"_shard_doc":"asc"}]""");
        after["search_after"]!.ToJsonString().ShouldBe(ElasticsearchCursor.Decode(anchor.Cursor).Sort.ToJsonString());
        after["pit"]!["id"]!.GetValue<string>().ShouldBe(EsPitId);
        _fake.Requests.Count(r => r.Path.EndsWith("/_pit", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Theory]
    [InlineData(LogOrder.NewestFirst, 9223372036854775807L)]
    [InlineData(LogOrder.OldestFirst, -1L)]
    public async Task SearchAsync_CursorsPitExpired_OpensANewOneAndResumesFromTheTimestampsEdgeLeavingTheHitOut(LogOrder order, long edge)
    {
        var cursor = new ElasticsearchCursor("expired-pit", "logs-prod-*,logs-dev-*", new JsonArray("2023-04-09T12:00:00.000Z", 77), "anchor-id", "_shard_doc").Encode();
        _fake.Responder = r => r switch
        {
            { Path: "/logs-prod-*,logs-dev-*/_pit" } => FakeReply.Ok("""{"id":"fresh-pit"}"""),
            _ when r.Json["pit"]!["id"]!.GetValue<string>() == "expired-pit" => new FakeReply(404, """
                {"error":{"root_cause":[{"type":"search_context_missing_exception","reason":"No search context found for id [77]"}],"type":"search_phase_execution_exception","reason":"all shards failed","phase":"query","grouped":true},"status":404}
                """),
            _ => FakeReply.Ok(SearchResponse("fresh-pit")),
        };

        var result = await Backend().SearchAsync(Request() with { Order = order, SearchAfter = cursor }, CancellationToken.None);

        _fake.Requests.Select(r => r.PathAndQuery).ShouldBe(["/_search", "/logs-prod-*,logs-dev-*/_pit?keep_alive=2m", "/_search"]);
        var retried = _fake.Requests[2].Json;
        retried["pit"]!["id"]!.GetValue<string>().ShouldBe("fresh-pit");
        retried["search_after"]!.ToJsonString().ShouldBe($"""["2023-04-09T12:00:00.000Z",{edge}]""");
        retried["query"]!["bool"]!["must_not"]!.ToJsonString().ShouldBe("""[{"ids":{"values":["anchor-id"]}}]""");
        ElasticsearchCursor.Decode(result.Hits[0].Cursor).PitId.ShouldBe("fresh-pit");
    }

    [Fact]
    public async Task SearchAsync_IdTiebreakerCursorPitExpired_ResumesExactlyAfterTheHit()
    {
        var cursor = new ElasticsearchCursor("expired-pit", "logs-prod-*", new JsonArray(1681052074000, "anchor-id"), "anchor-id", "_id").Encode();
        _fake.Responder = r => r switch
        {
            { Path: "/" } => FakeReply.Ok("""{"version":{"distribution":"opensearch","number":"2.19.1"}}"""),
            { Path: "/logs-prod-*/_search/point_in_time" } => FakeReply.Ok("""{"pit_id":"fresh-pit","_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"creation_time":1658146050064}"""),
            _ when r.Json["pit"]!["id"]!.GetValue<string>() == "expired-pit" => new FakeReply(404, """{"error":{"root_cause":[{"type":"search_context_missing_exception","reason":"No search context found for id [3]"}],"type":"search_context_missing_exception","reason":"No search context found for id [3]"},"status":404}"""),
            _ => FakeReply.Ok(SearchResponse("fresh-pit")),
        };

        await Backend(o => o.Flavor = ElasticsearchFlavor.OpenSearch).SearchAsync(Request() with { Scopes = [Scopes[0]], SearchAfter = cursor }, CancellationToken.None);

        var retried = _fake.Requests[^1].Json;
        retried["search_after"]!.ToJsonString().ShouldBe("""[1681052074000,"anchor-id"]""");
        retried["query"]!["bool"]!.AsObject().ContainsKey("must_not").ShouldBeFalse();
    }

    [Fact]
    public async Task SearchAsync_WithHistogram_ReturnsEveryBucketOfTheRangeWithZeros()
    {
        var response = SearchResponse(EsPitId);
        response["aggregations"] = new JsonObject
        {
            ["histogram"] = new JsonObject
            {
                ["buckets"] = JsonNode.Parse("""
                    [{"key_as_string":"2023-04-09T06:00:00.000Z","key":1681020000000,"doc_count":4},
                     {"key_as_string":"2023-04-09T18:00:00.000Z","key":1681063200000,"doc_count":9}]
                    """),
            },
        };
        _fake.Responder = r => r.Path.EndsWith("/_pit", StringComparison.Ordinal) ? Standard(r) : FakeReply.Ok(response);

        var result = await Backend().SearchAsync(Request() with { HistogramInterval = TimeSpan.FromHours(6) }, CancellationToken.None);

        _fake.Requests[1].Json["aggs"]!.ToJsonString().ShouldBe(ReferenceData.Compact("""
            {"histogram":{"date_histogram":{"field":"timestamp","fixed_interval":"6h","min_doc_count":0,"extended_bounds":{"min":1680998400000,"max":1681084800000}}}}
            """));
        result.Histogram.Select(b => (b.Start.Hour, b.Count)).ShouldBe([(0, 0L), (6, 4L), (12, 0L), (18, 9L), (0, 0L)]);
        result.Histogram[^1].Start.ShouldBe(To);
    }

    [Fact]
    public async Task SearchAsync_NothingFound_ClosesThePointInTimeItOpened()
    {
        _fake.Responder = r => r switch
        {
            { Method: "POST", Path: "/_search" } => FakeReply.Ok("""{"took":1,"timed_out":false,"hits":{"total":{"value":0,"relation":"eq"},"max_score":null,"hits":[]}}"""),
            { Method: "DELETE" } => FakeReply.Ok("""{"succeeded":true,"num_freed":1}"""),
            _ => Standard(r),
        };

        var result = await Backend().SearchAsync(Request(), CancellationToken.None);

        result.Hits.ShouldBeEmpty();
        var close = _fake.Requests[^1];
        $"{close.Method} {close.PathAndQuery}".ShouldBe("DELETE /_pit");
        close.Json.ToJsonString().ShouldBe($$"""{"id":"{{EsPitId}}"}""");
    }

    [Fact]
    public async Task SearchAsync_SizeZero_CountsInTheIndicesWithoutAPointInTime()
    {
        _fake.Responder = _ => FakeReply.Ok("""{"hits":{"total":{"value":7,"relation":"eq"},"hits":[]}}""");

        var result = await Backend().SearchAsync(Request() with { Size = 0 }, CancellationToken.None);

        _fake.Requests.Single().PathAndQuery.ShouldBe("/logs-prod-*,logs-dev-*/_search");
        _fake.Requests.Single().Json.ContainsKey("pit").ShouldBeFalse();
        result.Total.ShouldBe(7);
    }

    [Fact]
    public async Task SearchAsync_EnvironmentField_FiltersOnTheNamespacesAndReadsEachHitsEnvironment()
    {
        _fake.Responder = r => r.Path.EndsWith("/_pit", StringComparison.Ordinal) ? Standard(r) : FakeReply.Ok("""
            {"pit_id":"p","hits":{"total":{"value":2,"relation":"eq"},"hits":[
              {"_index":"logs-2023.04.09","_id":"1","_source":{"timestamp":"2023-04-09T10:00:00Z","kubernetes":{"namespace_name":"shop-dev"}},"sort":["2023-04-09T10:00:00.000Z",2]},
              {"_index":"logs-2023.04.09","_id":"2","_source":{"timestamp":"2023-04-09T09:00:00Z","kubernetes":{"namespace_name":"shop-prod"}},"sort":["2023-04-09T09:00:00.000Z",1]}
            ]}}
            """);

        var result = await Backend(o =>
        {
            o.IndexPattern = "logs-*";
            o.EnvironmentFilterField = "kubernetes.namespace_name";
        }).SearchAsync(Request(), CancellationToken.None);

        _fake.Requests[0].PathAndQuery.ShouldBe("/logs-*/_pit?keep_alive=2m");
        _fake.Requests[1].Json["query"]!["bool"]!["filter"]![1]!.ToJsonString().ShouldBe("""{"terms":{"kubernetes.namespace_name":["shop-prod","shop-dev"]}}""");
        result.Hits.Select(h => h.Environment).ShouldBe(["dev", "prod"]);
    }

    [Fact]
    public async Task FieldsAsync_Scopes_AsksFieldCapsOnTheirIndicesAndMapsTypes()
    {
        _fake.Responder = _ => FakeReply.Ok(ReferenceData.DocsResponse("api-reference__search-apis__field-caps.examples.json"));

        var fields = await Backend().FieldsAsync(Scopes, CancellationToken.None);

        _fake.Requests.Single().PathAndQuery.ShouldBe("/logs-prod-*,logs-dev-*/_field_caps?fields=*");
        fields.ShouldBe([new LogField("price", LogFieldType.Number), new LogField("product", LogFieldType.String)]);
    }
}
