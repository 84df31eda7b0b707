using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Aws.Protocol;

/// <summary>
/// The JSON protocols' default timestamp format: seconds since the epoch as a number, fractional when the time has
/// milliseconds (<c>1398796238</c>, <c>1398796238.123</c>), as botocore writes it. Reading also takes ISO 8601 and
/// HTTP-date strings, as botocore's parser does, so responses recorded by the AWS CLI parse as they are.
/// </summary>
public sealed class AwsTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => FromEpochSeconds(reader.GetDecimal()),
        JsonTokenType.String => Parse(reader.GetString()!),
        _ => throw new JsonException($"A timestamp must be a number of seconds or a date string, not {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        var milliseconds = value.ToUnixTimeMilliseconds();
        if (milliseconds % 1000 == 0)
        {
            writer.WriteNumberValue(milliseconds / 1000);
        }
        else
        {
            writer.WriteNumberValue(milliseconds / 1000m);
        }
    }

    public static DateTimeOffset FromEpochSeconds(decimal seconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)decimal.Round(seconds * 1000m, MidpointRounding.AwayFromZero));

    private static DateTimeOffset Parse(string text)
    {
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return FromEpochSeconds(seconds);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed;
        }

        throw new JsonException($"'{text}' is not a timestamp.");
    }
}
