using System.Text.Json.Nodes;
using Portal.Core.Logs;
using Portal.Logs.Elasticsearch;

namespace Portal.Logs.Tests.Elasticsearch;

/// <summary>Parsing real engine answers (Reference/Elasticsearch, see its README).</summary>
public sealed class ElasticsearchResponsesTests
{
    [Fact]
    public void ParseSearch_RealOpenSearchHits_ReadsIdsIndexSourceTimestampSortAndTotal()
    {
        var response = ReferenceData.FirstMsearchResponse("lucene_raw_data.msearch_response.json");

        var parsed = ElasticsearchResponses.ParseSearch(response, "timestamp");

        parsed.Total.ShouldBe(62);
        parsed.Hits.Count.ShouldBe(20);
        var first = parsed.Hits[0];
        first.Id.ShouldBe("mPZCzIYB61inuqGyfZTQ");
        first.Index.ShouldBe("opensearch_dashboards_sample_data_flights");
        first.Source["FlightNum"]!.GetValue<string>().ShouldBe("BJ4UMEM");
        first.Timestamp.ShouldBe(new DateTimeOffset(2023, 4, 9, 14, 54, 34, TimeSpan.Zero), "a timestamp without an offset is UTC");
        first.Sort.ToJsonString().ShouldBe("[1681052074000,13058]");
        parsed.Hits[1].Timestamp.ShouldBe(new DateTimeOffset(2023, 4, 9, 12, 32, 18, TimeSpan.Zero));
    }

    [Fact]
    public void ParseSearch_ElasticsearchSpecExample_ReadsTheNestedTimestampAndTotalObject()
    {
        var response = ReferenceData.YamlValue("_global__search__200_response__SearchResponseExample1.yaml");

        var parsed = ElasticsearchResponses.ParseSearch(response, "@timestamp");

        parsed.Total.ShouldBe(20);
        parsed.Hits.Single().Timestamp.ShouldBe(new DateTimeOffset(2099, 11, 15, 14, 12, 12, TimeSpan.Zero));
        parsed.Hits.Single().Source["user"]!["id"]!.GetValue<string>().ShouldBe("kimchy");
        parsed.PitId.ShouldBeNull();
    }

    [Fact]
    public void ParseSearch_TotalAsPlainNumber_IsReadLikeTheObject()
    {
        // The shape of `rest_total_hits_as_int=true` and Elasticsearch 6 (opensearch-api-specification,
        // tests/default/_core/search/rest_total_hits_as_int.yaml).
        var parsed = ElasticsearchResponses.ParseSearch((JsonObject)JsonNode.Parse("""{"hits":{"total":2,"hits":[]}}""")!, "@timestamp");

        parsed.Total.ShouldBe(2);
    }

    [Fact]
    public void ParseSearch_DottedTimestampKeyAndNanoseconds_AreRead()
    {
        var response = (JsonObject)JsonNode.Parse("""
            {"pit_id":"pit-2","hits":{"total":{"value":1,"relation":"eq"},"hits":[
              {"_index":"logs-prod-1","_id":"a","_source":{"event.created":"2026-11-22T09:00:00.123456789Z"},"sort":["2026-11-22T09:00:00.123456789Z",7]}
            ]}}
            """)!;

        var parsed = ElasticsearchResponses.ParseSearch(response, "event.created");

        parsed.Hits.Single().Timestamp.ShouldBe(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));
        parsed.PitId.ShouldBe("pit-2");
    }

    [Fact]
    public void ParseSearch_TimestampMissingFromSource_FallsBackToTheSortValue()
    {
        var response = (JsonObject)JsonNode.Parse("""
            {"hits":{"total":{"value":1,"relation":"eq"},"hits":[{"_index":"i","_id":"a","_source":{"message":"x"},"sort":["2026-11-22T09:00:01.000Z",3]}]}}
            """)!;

        ElasticsearchResponses.ParseSearch(response, "@timestamp").Hits.Single().Timestamp
            .ShouldBe(new DateTimeOffset(2026, 11, 22, 9, 0, 1, TimeSpan.Zero));
    }

    [Fact]
    public void Histogram_RealDateHistogramBuckets_EveryBucketOfTheRangeWithZerosFilledIn()
    {
        var response = ReferenceData.FirstMsearchResponse("lucene_metric_average_derivative_group_by_date_histogram.msearch_response.json");
        var aggregations = response["aggregations"]!.AsObject();
        aggregations["histogram"] = aggregations["2"]!.DeepClone(); // Grafana named the aggregation "2"; Portal names it "histogram".
        var parsed = ElasticsearchResponses.ParseSearch(response, "timestamp");
        var day = TimeSpan.FromDays(1);
        var firstKey = DateTimeOffset.FromUnixTimeMilliseconds(1680220800000); // 2023-03-31, the response's first bucket

        // From two days before the first bucket (mid-day) to the middle of the last one.
        var buckets = ElasticsearchResponses.Histogram(firstKey - (2 * day) + TimeSpan.FromHours(13), firstKey + (17 * day) + TimeSpan.FromHours(5), day, parsed.Buckets);

        buckets.Count.ShouldBe(20);
        buckets[0].Start.ShouldBe(firstKey - (2 * day), "the first bucket is the one holding From, floored to the interval");
        buckets.Zip(buckets.Skip(1)).ShouldAllBe(pair => pair.Second.Start - pair.First.Start == day);
        buckets.Select(b => b.Count).ShouldBe([0, 0, 28, 298, 223, 326, 338, 326, 300, 329, 339, 205, 0, 0, 0, 0, 0, 0, 0, 0]);
    }

    [Fact]
    public void Histogram_NoBucketsAnswered_StillListsEveryBucketAsZero()
    {
        var from = new DateTimeOffset(2026, 11, 22, 9, 0, 10, TimeSpan.Zero);

        var buckets = ElasticsearchResponses.Histogram(from, from.AddMinutes(2), TimeSpan.FromSeconds(30), new Dictionary<long, long>());

        buckets.Select(b => b.Start.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe(["09:00:00", "09:00:30", "09:01:00", "09:01:30", "09:02:00"]);
        buckets.ShouldAllBe(b => b.Count == 0);
    }

    [Fact]
    public void ParseFieldCaps_ElasticsearchExampleWithConflictingTypes_ConflictIsString()
    {
        var fields = ElasticsearchResponses.ParseFieldCaps(ReferenceData.YamlValue("_global__field_caps__response__FieldCapabilitiesResponseExample1.yaml"));

        fields.ShouldBe([new LogField("rating", LogFieldType.String), new LogField("title", LogFieldType.String)]);
    }

    [Fact]
    public void ParseFieldCaps_OpenSearchExample_MapsTypes()
    {
        var fields = ElasticsearchResponses.ParseFieldCaps(ReferenceData.DocsResponse("api-reference__search-apis__field-caps.examples.json"));

        fields.ShouldBe([new LogField("price", LogFieldType.Number), new LogField("product", LogFieldType.String)]);
    }

    [Fact]
    public void ParseFieldCaps_MetadataObjectsAndMultiFields_AreLeftOutAndTheRestSortedByName()
    {
        var response = (JsonObject)JsonNode.Parse("""
            {"indices":["logs-prod-1"],"fields":{
              "_id":{"_id":{"type":"_id","metadata_field":true,"searchable":true,"aggregatable":false}},
              "_index":{"_index":{"type":"_index","metadata_field":true,"searchable":true,"aggregatable":true}},
              "message":{"match_only_text":{"type":"match_only_text","metadata_field":false,"searchable":true,"aggregatable":false}},
              "message.keyword":{"keyword":{"type":"keyword","metadata_field":false,"searchable":true,"aggregatable":true}},
              "kubernetes":{"object":{"type":"object","metadata_field":false,"searchable":false,"aggregatable":false}},
              "kubernetes.pod_name":{"keyword":{"type":"keyword","metadata_field":false,"searchable":true,"aggregatable":true}},
              "@timestamp":{"date":{"type":"date","metadata_field":false,"searchable":true,"aggregatable":true}},
              "event.ingested":{"date_nanos":{"type":"date_nanos","metadata_field":false,"searchable":true,"aggregatable":true}},
              "error":{"boolean":{"type":"boolean","metadata_field":false,"searchable":true,"aggregatable":true}},
              "bytes":{"unsigned_long":{"type":"unsigned_long","metadata_field":false,"searchable":true,"aggregatable":true}},
              "ratio":{"half_float":{"type":"half_float","metadata_field":false,"searchable":true,"aggregatable":true},"scaled_float":{"type":"scaled_float","metadata_field":false,"searchable":true,"aggregatable":true}},
              "client.ip":{"ip":{"type":"ip","metadata_field":false,"searchable":true,"aggregatable":true}},
              "labels.team":{"constant_keyword":{"type":"constant_keyword","metadata_field":false,"searchable":true,"aggregatable":true},"unmapped":{"type":"unmapped","metadata_field":false,"searchable":false,"aggregatable":false}}
            }}
            """)!;

        ElasticsearchResponses.ParseFieldCaps(response).ShouldBe([
            new LogField("@timestamp", LogFieldType.Date),
            new LogField("bytes", LogFieldType.Number),
            new LogField("client.ip", LogFieldType.String),
            new LogField("error", LogFieldType.Boolean),
            new LogField("event.ingested", LogFieldType.Date),
            new LogField("kubernetes.pod_name", LogFieldType.String),
            new LogField("labels.team", LogFieldType.String),
            new LogField("message", LogFieldType.String),
            new LogField("ratio", LogFieldType.Number),
        ]);
    }

    [Fact]
    public void ParsePitId_ElasticsearchAndOpenSearchResponses_ReadTheirOwnKey()
    {
        ElasticsearchResponses.ParsePitId(ReferenceData.YamlValue("_global__open_point_in_time__response__OpenPointInTimeResponseExample1.yaml"))
            .ShouldBe("46ToAwMDaWR5BXV1aWQyKwZub2RlXzMAAAAAAAAAACoBYwADaWR4BXV1aWQxAgZub2RlXzEAAAAAAAAAAAEBYQADaWR5BXV1aWQyKgZub2RlXzIAAAAAAAAAAAwBYgACBXV1aWQyAAAFdXVpZDEAAQltYXRjaF9hbGw_gAAAAA=");
        ElasticsearchResponses.ParsePitId(ReferenceData.DocsResponse("api-reference__search-apis__point-in-time-api.examples.json"))
            .ShouldBe("o463QQEPbXktaW5kZXgtMDAwMDAxFnNOWU43ckt3U3IyaFVpbGE1UWEtMncAFjFyeXBsRGJmVFM2RTB6eVg1aVVqQncAAAAAAAAAAAIWcDVrM3ZIX0pRNS1XejE5YXRPRFhzUQEWc05ZTjdyS3dTcjJoVWlsYTVRYS0ydwAA");
    }

    [Theory]
    [InlineData("400-search_phase_execution_exception-query_shard_exception.opensearch.json", "search_phase_execution_exception", "failed to create query: Cannot search on field [description] since it is not indexed.")]
    [InlineData("400-illegal_argument_exception-mapping.opensearch.json", "illegal_argument_exception", "Mapper for [description] conflicts with existing mapper:\n\tCannot update parameter [norms] from [false] to [true]")]
    [InlineData("500-search_phase_execution_exception-task_cancelled.opensearch.json", "search_phase_execution_exception", "cancelled task with reason: cpu usage exceeded [17.9ms >= 15ms], elapsed time exceeded [1.1s >= 300ms]")]
    [InlineData("429-es_rejected_execution_exception.es6.json", "es_rejected_execution_exception", "[elasticsearch-0][10.16.9.130:9300][indices:data/write/update[s]]")]
    public void ParseError_RealErrorBodies_TypeAndTheFirstRootCauseReason(string file, string type, string reason)
    {
        ElasticsearchResponses.ParseError(ReferenceData.Json(file)).ShouldBe((type, reason));
    }

    [Fact]
    public void ParseError_NoRootCause_FallsBackToCausedByThenReason()
    {
        ElasticsearchResponses.ParseError(JsonNode.Parse("""{"error":{"type":"x","reason":"outer","caused_by":{"type":"y","reason":"inner"}}}"""))
            .ShouldBe(("x", "inner"));
        ElasticsearchResponses.ParseError(JsonNode.Parse("""{"error":{"type":"x","reason":"outer"}}""")).ShouldBe(("x", "outer"));
    }

    [Fact]
    public void IsMissingPit_SearchContextMissing_IsRecognisedAndOtherErrorsAreNot()
    {
        ElasticsearchResponses.IsMissingPit(404, JsonNode.Parse("""
            {"error":{"root_cause":[{"type":"search_context_missing_exception","reason":"No search context found for id [91]"}],"type":"search_phase_execution_exception","reason":"all shards failed"},"status":404}
            """)).ShouldBeTrue();
        ElasticsearchResponses.IsMissingPit(400, ReferenceData.Json("400-search_phase_execution_exception-query_shard_exception.opensearch.json")).ShouldBeFalse();
    }
}
