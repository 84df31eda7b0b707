using System.Text.Json;
using Portal.Aws.Protocol;

namespace Portal.Aws.Tests.Protocol;

public sealed class AwsTimestampConverterTests
{
    private sealed record Holder(DateTimeOffset Timestamp);

    [Theory]
    [InlineData("""{"Timestamp":946845296}""", 946845296000)]
    [InlineData("""{"Timestamp":1398796238.123}""", 1398796238123)]
    [InlineData("""{"Timestamp":1.398796238E9}""", 1398796238000)]
    [InlineData("""{"Timestamp":"2000-01-02T20:34:56Z"}""", 946845296000)]
    [InlineData("""{"Timestamp":"2021-11-18T09:41:02-08:00"}""", 1637257262000)]
    [InlineData("""{"Timestamp":"Sun, 02 Jan 2000 20:34:56 GMT"}""", 946845296000)]
    public void Read_EpochSecondsOrDateStrings_AsBotocoreParsesThem(string json, long expectedUnixMs)
    {
        JsonSerializer.Deserialize<Holder>(json, AwsJson.Options)!.Timestamp.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(expectedUnixMs));
    }

    [Theory]
    [InlineData(946845296000, """{"Timestamp":946845296}""")]
    [InlineData(1398796238123, """{"Timestamp":1398796238.123}""")]
    [InlineData(1398796238500, """{"Timestamp":1398796238.5}""")]
    public void Write_WholeSecondsAsIntegersAndMillisecondsAsFractions(long unixMs, string expected)
    {
        JsonSerializer.Serialize(new Holder(DateTimeOffset.FromUnixTimeMilliseconds(unixMs)), AwsJson.Options).ShouldBe(expected);
    }

    [Fact]
    public void Read_NotATimestamp_Throws()
    {
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<Holder>("""{"Timestamp":"yesterday-ish"}""", AwsJson.Options));
    }
}
