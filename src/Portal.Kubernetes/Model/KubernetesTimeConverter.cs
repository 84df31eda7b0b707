using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Kubernetes.Model;

/// <summary>Kubernetes times are RFC 3339 in UTC with a Z and whole seconds (metav1.Time): written back the same way.</summary>
public sealed class KubernetesTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
