using System.Text.Json.Nodes;
using Portal.Core.Logs;
using Portal.Logs.Elasticsearch;

namespace Portal.Logs.Tests.Elasticsearch;

public sealed class ElasticsearchCursorTests
{
    [Fact]
    public void Encode_ThenDecode_GivesBackEveryPart()
    {
        var cursor = new ElasticsearchCursor("pit/+=id", "logs-prod-*,logs-dev-*", new JsonArray("2026-11-22T09:00:00.123456789Z", 4294967303L), "doc-1", "_shard_doc");

        var encoded = cursor.Encode();
        var decoded = ElasticsearchCursor.Decode(encoded);

        encoded.ShouldNotContain("+");
        encoded.ShouldNotContain("/");
        encoded.ShouldNotContain("=");
        decoded.PitId.ShouldBe("pit/+=id");
        decoded.Indices.ShouldBe("logs-prod-*,logs-dev-*");
        decoded.Sort.ToJsonString().ShouldBe("""["2026-11-22T09:00:00.123456789Z",4294967303]""");
        decoded.Id.ShouldBe("doc-1");
        decoded.Tiebreaker.ShouldBe("_shard_doc");
    }

    [Theory]
    [InlineData("not a cursor")]
    [InlineData("e30")] // {}
    [InlineData("")]
    public void Decode_ForeignValue_IsAnInvalidQuery(string value)
    {
        var error = Should.Throw<LogBackendException>(() => ElasticsearchCursor.Decode(value));

        error.Failure.ShouldBe(LogBackendFailure.InvalidQuery);
    }
}
