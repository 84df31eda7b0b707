using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Sandbox.Aws.Protocol;

/// <summary>
/// Reads an operation's input the way an AWS JSON service deserializes it: a member of the wrong JSON type is a
/// <c>SerializationException</c>; a value outside the model's constraints is a <c>ValidationException</c> with coral's
/// wording ("1 validation error detected: Value '500' at 'maxRecords' failed to satisfy constraint: ..."), which names
/// the member camel-cased as coral does. Timestamps are epoch seconds, fractional allowed.
/// </summary>
internal static class JsonInput
{
    public static JsonObject Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw AwsApiException.Serialization("The request body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw AwsApiException.Serialization("The request body is not valid JSON.");
        }
    }

    public static string? Str(JsonObject input, string name) => input[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw WrongType(name, "a string"),
    };

    public static int? Int(JsonObject input, string name) => input[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) => i,
        _ => throw WrongType(name, "an integer"),
    };

    public static bool? Bool(JsonObject input, string name) => input[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw WrongType(name, "a boolean"),
    };

    /// <summary>A timestamp as awsJson sends it: seconds since the epoch, a JSON number.</summary>
    public static DateTimeOffset? Time(JsonObject input, string name) => input[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var seconds) && Math.Abs(seconds) < 253_402_300_799 =>
            DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)),
        _ => throw WrongType(name, "a timestamp in epoch seconds"),
    };

    public static JsonObject? Obj(JsonObject input, string name) => input[name] switch
    {
        null => null,
        JsonObject o => o,
        _ => throw WrongType(name, "a structure"),
    };

    public static IReadOnlyList<JsonObject> Objects(JsonObject input, string name) => input[name] switch
    {
        null => [],
        JsonArray a => [.. a.Select(item => item as JsonObject ?? throw WrongType(name, "a list of structures"))],
        _ => throw WrongType(name, "a list"),
    };

    public static IReadOnlyList<string> Strings(JsonObject input, string name) => input[name] switch
    {
        null => [],
        JsonArray a => [.. a.Select(item => item is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw WrongType(name, "a list of strings"))],
        _ => throw WrongType(name, "a list"),
    };

    /// <summary>A model constraint failed: coral's one-error message.</summary>
    public static AwsApiException Invalid(string member, object? value, string constraint) =>
        AwsApiException.Validation($"1 validation error detected: Value '{Convert.ToString(value, CultureInfo.InvariantCulture)}' at '{member}' failed to satisfy constraint: {constraint}");

    public static void Range(string member, int? value, int min, int max)
    {
        if (value < min)
        {
            throw Invalid(member, value, $"Member must have value greater than or equal to {min}");
        }

        if (value > max)
        {
            throw Invalid(member, value, $"Member must have value less than or equal to {max}");
        }
    }

    public static void Length(string member, string? value, int min, int max)
    {
        if (value is not null && (value.Length < min || value.Length > max))
        {
            throw Invalid(member, value, $"Member must have length {(value.Length < min ? $"greater than or equal to {min}" : $"less than or equal to {max}")}");
        }
    }

    public static void OneOf(string member, string? value, IReadOnlyList<string> allowed)
    {
        if (value is not null && !allowed.Contains(value))
        {
            throw Invalid(member, value, $"Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
        }
    }

    /// <summary>camelCase, as coral names members in validation messages (<c>MaxRecords</c> -> <c>maxRecords</c>).</summary>
    public static string Member(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static AwsApiException WrongType(string name, string expected) =>
        AwsApiException.Serialization($"Unexpected JSON type for member '{name}': expected {expected}.");
}
