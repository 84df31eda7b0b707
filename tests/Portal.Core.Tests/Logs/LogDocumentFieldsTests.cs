using System.Text.Json.Nodes;
using Portal.Core.Logs;

namespace Portal.Core.Tests.Logs;

public class LogDocumentFieldsTests
{
    private static JsonObject Document(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Flatten_NestedObjects_DottedNamesInDocumentOrder()
    {
        var document = Document("""
            {"message":"hi","kubernetes":{"pod_name":"x","labels":{"app":"y"},"namespace":"shop"},"@timestamp":"2026-11-18T10:00:00Z","a.b":1}
            """);

        var fields = LogDocumentFields.Flatten(document);

        fields.Select(field => field.Key).ShouldBe(
            ["message", "kubernetes.pod_name", "kubernetes.labels.app", "kubernetes.namespace", "@timestamp", "a.b"]);
        fields.Select(field => LogDocumentFields.Display(field.Value)).ShouldBe(
            ["hi", "x", "y", "shop", "2026-11-18T10:00:00Z", "1"]);
    }

    [Fact]
    public void Flatten_ArraysNullsAndEmptyObjects_ArrayIsOneFieldNullKeptEmptyObjectDropped()
    {
        var document = Document("""{"tags":["a","b"],"spans":[{"id":1}],"gone":null,"empty":{},"n":{"deep":{}}}""");

        var fields = LogDocumentFields.Flatten(document);

        fields.Select(field => field.Key).ShouldBe(["tags", "spans", "gone"]);
        fields[0].Value.ShouldBeOfType<JsonArray>().Count.ShouldBe(2);
        LogDocumentFields.Display(fields[1].Value).ShouldBe("""[{"id":1}]""");
        fields[2].Value.ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"a":{"b":{"c":1}}}""", "1")]
    [InlineData("""{"a.b.c":2}""", "2")]
    [InlineData("""{"a.b":{"c":3}}""", "3")]
    [InlineData("""{"a":{"b.c":4}}""", "4")]
    [InlineData("""{"a":{"x":1},"a.b":{"c":5}}""", "5")]
    [InlineData("""{"a":{"b":{"c":6}},"a.b.c":7}""", "7")]
    [InlineData("""{"a":{"b":{"c":8}},"a.b":{"c":9}}""", "8")]
    [InlineData("""{"a":{"b":[1,2]}, "x":1}""", null)]
    [InlineData("""{"a":{"b":"s"}}""", null)]
    [InlineData("""{"a":1}""", null)]
    public void Get_DottedName_NestedOrLiteralKey(string json, string? expected) =>
        LogDocumentFields.Display(LogDocumentFields.Get(Document(json), "a.b.c")).ShouldBe(expected);

    [Fact]
    public void Get_ArrayField_TheArray() =>
        LogDocumentFields.Get(Document("""{"a":{"tags":["x","y"]}}"""), "a.tags").ShouldBeOfType<JsonArray>().Count.ShouldBe(2);

    [Fact]
    public void Get_TopLevelAndMissing_ValueOrNull()
    {
        var document = Document("""{"message":"hi","level":null}""");

        LogDocumentFields.Display(LogDocumentFields.Get(document, "message")).ShouldBe("hi");
        LogDocumentFields.Get(document, "level").ShouldBeNull();
        LogDocumentFields.Get(document, "nope").ShouldBeNull();
        LogDocumentFields.Get(document, "message.x").ShouldBeNull();
    }

    [Theory]
    [InlineData("\"plain \\\"text\\\" é\"", "plain \"text\" é")]
    [InlineData("42", "42")]
    [InlineData("-1.5e3", "-1.5e3")]
    [InlineData("0.25", "0.25")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("""{ "a" : [1, "é<b>"] }""", """{"a":[1,"é<b>"]}""")]
    [InlineData("[ ]", "[]")]
    public void Display_ParsedJson_Text(string json, string expected) =>
        LogDocumentFields.Display(JsonNode.Parse(json)).ShouldBe(expected);

    [Fact]
    public void Display_ValuesFromDotNet_InvariantText()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");

            LogDocumentFields.Display(JsonValue.Create(1.5)).ShouldBe("1.5");
            LogDocumentFields.Display(JsonValue.Create(true)).ShouldBe("true");
            LogDocumentFields.Display(JsonValue.Create("text")).ShouldBe("text");
            LogDocumentFields.Display(JsonValue.Create(new DateTimeOffset(2026, 11, 18, 10, 0, 0, TimeSpan.Zero)))
                .ShouldBe("2026-11-18T10:00:00+00:00");
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Display_Null_Null() => LogDocumentFields.Display(null).ShouldBeNull();
}
