using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Aws.Protocol;

/// <summary>
/// How request and response shapes map to JSON: member names exactly as the service model spells them, absent members
/// left out, timestamps as epoch seconds, and doubles that may arrive as <c>"NaN"</c> or <c>"Infinity"</c> strings.
/// </summary>
public static class AwsJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new AwsTimestampConverter() },
    };
}
