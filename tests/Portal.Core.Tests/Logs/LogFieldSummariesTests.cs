using System.Text.Json.Nodes;
using Portal.Core.Logs;

namespace Portal.Core.Tests.Logs;

public class LogFieldSummariesTests
{
    private static JsonObject[] Sample(params string[] documents) => [.. documents.Select(json => JsonNode.Parse(json)!.AsObject())];

    [Fact]
    public void From_Sample_FieldsSortedByNameWithTypesAndCounts()
    {
        var sample = Sample(
            """{"@timestamp":"2026-11-18T10:00:00Z","level":"error","latency_ms":120,"ok":false,"kubernetes":{"pod_name":"web-1"}}""",
            """{"@timestamp":"2026-11-18T10:00:01Z","level":"info","latency_ms":80.5,"ok":true}""",
            """{"@timestamp":"2026-11-18T10:00:02Z","level":"error","latency_ms":"slow","kubernetes":{"pod_name":"web-2"}}""",
            """{"@timestamp":"2026-11-18T10:00:03Z","level":"error","ok":true}""");

        var summaries = LogFieldSummaries.From(sample);

        summaries.Select(field => (field.Name, field.Type, field.DocumentCount)).ShouldBe(
        [
            ("@timestamp", LogFieldType.Date, 4),
            ("kubernetes.pod_name", LogFieldType.String, 2),
            ("latency_ms", LogFieldType.String, 3),
            ("level", LogFieldType.String, 4),
            ("ok", LogFieldType.Boolean, 3),
        ]);
        summaries.Single(field => field.Name == "level").TopValues.ShouldBe(
            [new LogFieldValueCount("error", 3, 0.75), new LogFieldValueCount("info", 1, 0.25)]);
        summaries.Single(field => field.Name == "ok").TopValues.ShouldBe(
            [new LogFieldValueCount("true", 2, 0.5), new LogFieldValueCount("false", 1, 0.25)]);
    }

    [Fact]
    public void From_OnlyNumbers_Number()
    {
        var summaries = LogFieldSummaries.From(Sample("""{"n":1}""", """{"n":2.5}""", """{"n":[3,4]}"""));

        summaries.ShouldHaveSingleItem().Type.ShouldBe(LogFieldType.Number);
    }

    [Fact]
    public void From_TiesAndTopValuesLimit_CountThenOrdinalText()
    {
        var sample = Sample(
            """{"k":"b"}""", """{"k":"a"}""", """{"k":"B"}""", """{"k":"c"}""", """{"k":"c"}""", """{"k":"a"}""");

        var top = LogFieldSummaries.From(sample, topValues: 3).ShouldHaveSingleItem().TopValues;

        top.Select(value => (value.Value, value.Count)).ShouldBe([("a", 2), ("c", 2), ("B", 1)]);
        top[0].Share.ShouldBe(2.0 / 6);
    }

    [Fact]
    public void From_Arrays_EachDistinctElementOncePerDocument()
    {
        var sample = Sample("""{"tags":["a","b","a"]}""", """{"tags":["a"]}""", """{"other":1}""");

        var tags = LogFieldSummaries.From(sample).Single(field => field.Name == "tags");

        tags.DocumentCount.ShouldBe(2);
        tags.TopValues.ShouldBe([new LogFieldValueCount("a", 2, 2.0 / 3), new LogFieldValueCount("b", 1, 1.0 / 3)]);
    }

    [Fact]
    public void From_NullValues_CountAsAbsent()
    {
        var sample = Sample("""{"user":null}""", """{"user":"ann"}""", """{"gone":null}""");

        var summaries = LogFieldSummaries.From(sample);

        summaries.Select(field => field.Name).ShouldBe(["gone", "user"]);
        summaries[0].DocumentCount.ShouldBe(0);
        summaries[0].TopValues.ShouldBeEmpty();
        summaries[0].Type.ShouldBe(LogFieldType.String);
        summaries[1].DocumentCount.ShouldBe(1);
        summaries[1].TopValues.ShouldBe([new LogFieldValueCount("ann", 1, 1.0 / 3)]);
    }

    [Fact]
    public void From_ObjectsInArrays_CompactJsonStringValues()
    {
        var field = LogFieldSummaries.From(Sample("""{"spans":[{"id":1}]}""")).ShouldHaveSingleItem();

        field.Type.ShouldBe(LogFieldType.String);
        field.TopValues.ShouldBe([new LogFieldValueCount("""{"id":1}""", 1, 1.0)]);
    }

    [Fact]
    public void From_EmptySample_NoFields() => LogFieldSummaries.From([]).ShouldBeEmpty();

    [Fact]
    public void From_ZeroTopValues_CountsWithoutValues() =>
        LogFieldSummaries.From(Sample("""{"a":1}"""), topValues: 0).ShouldHaveSingleItem().TopValues.ShouldBeEmpty();
}
