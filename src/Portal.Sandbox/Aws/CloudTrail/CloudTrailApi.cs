using System.Text.Json.Nodes;
using Portal.Sandbox.Aws.Protocol;

namespace Portal.Sandbox.Aws.CloudTrail;

/// <summary>
/// CloudTrail's <c>LookupEvents</c> over the sandbox's trail, as botocore-cloudtrail-2013-11-01-service-2.json models
/// it: at most one lookup attribute, a time range (default: the last 90 days), <c>MaxResults</c> 1 to 50 (default 50),
/// newest first, opaque <c>NextToken</c>s, and the operation's own exceptions for bad input.
/// </summary>
internal sealed class CloudTrailApi(SandboxTrail trail, TimeProvider clock)
{
    private static readonly string[] Keys = ["EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId"];

    public IReadOnlyDictionary<string, Func<JsonObject, JsonObject>> Operations => new Dictionary<string, Func<JsonObject, JsonObject>>
    {
        ["LookupEvents"] = LookupEvents,
    };

    public JsonObject LookupEvents(JsonObject input)
    {
        var attributes = JsonInput.Objects(input, "LookupAttributes");
        var start = JsonInput.Time(input, "StartTime");
        var end = JsonInput.Time(input, "EndTime");
        var category = JsonInput.Str(input, "EventCategory");
        var max = JsonInput.Int(input, "MaxResults");
        if (attributes.Count > 1)
        {
            throw new AwsApiException(400, "InvalidLookupAttributesException", "You cannot specify more than one lookup attribute.");
        }

        string? key = null, value = null;
        if (attributes.Count == 1)
        {
            key = JsonInput.Str(attributes[0], "AttributeKey");
            value = JsonInput.Str(attributes[0], "AttributeValue");
            if (key is null || value is null)
            {
                throw new AwsApiException(400, "InvalidLookupAttributesException", "A lookup attribute needs both an AttributeKey and an AttributeValue.");
            }

            JsonInput.OneOf("lookupAttributes.1.member.attributeKey", key, Keys);
            JsonInput.Length("lookupAttributes.1.member.attributeValue", value, 1, 2000);
        }

        if (category is not null && category != "insight")
        {
            throw new AwsApiException(400, "InvalidEventCategoryException", $"The event category '{category}' is not valid: the only value is 'insight'.");
        }

        if (max is < 1 or > 50)
        {
            throw new AwsApiException(400, "InvalidMaxResultsException", "MaxResults must be between 1 and 50.");
        }

        var now = clock.GetUtcNow();
        var from = start ?? now - SandboxTrail.Retention;
        var to = end ?? now;
        if (from > to)
        {
            throw new AwsApiException(400, "InvalidTimeRangeException", "The start time must not be later than the end time.");
        }

        var query = string.Join('\u001f', key, value, start?.ToUnixTimeMilliseconds(), end?.ToUnixTimeMilliseconds(), category);
        if (!PageToken.TryDecode(JsonInput.Str(input, "NextToken"), query, out var after) || (after is not null && !trail.Knows(after)))
        {
            throw new AwsApiException(400, "InvalidNextTokenException", "Invalid NextToken: it is not a token of this query, or it has expired.");
        }

        // Management events only: the sandbox has no Insights events.
        var (events, next) = category == "insight"
            ? ([], null)
            : trail.Lookup(e => Matches(e, key, value), from, to, max ?? 50, after);
        var output = new JsonObject { ["Events"] = new JsonArray([.. events.Select(e => (JsonNode)Event(e))]) };
        if (next is not null)
        {
            output["NextToken"] = PageToken.Encode(query, next);
        }

        return output;
    }

    private static bool Matches(TrailRecord e, string? key, string? value) => key switch
    {
        null => true,
        "EventId" => e.EventId == value,
        "EventName" => e.EventName == value,
        "ReadOnly" => (e.ReadOnly ? "true" : "false") == value,
        "Username" => e.Username == value,
        "ResourceType" => e.Resources.Any(r => r.Type == value),
        "ResourceName" => e.Resources.Any(r => r.Name == value),
        "EventSource" => e.EventSource == value,
        "AccessKeyId" => e.AccessKeyId == value,
        _ => false,
    };

    /// <summary>The model's <c>Event</c>: ReadOnly is a string, EventTime epoch seconds, CloudTrailEvent a JSON string.</summary>
    private static JsonObject Event(TrailRecord e)
    {
        var json = new JsonObject
        {
            ["EventId"] = e.EventId,
            ["EventName"] = e.EventName,
            ["ReadOnly"] = e.ReadOnly ? "true" : "false",
            ["EventTime"] = JsonValue.Create(e.Time.ToUnixTimeMilliseconds() / 1000m),
            ["EventSource"] = e.EventSource,
            ["Username"] = e.Username,
            ["Resources"] = new JsonArray([.. e.Resources.Select(r => (JsonNode)new JsonObject { ["ResourceType"] = r.Type, ["ResourceName"] = r.Name })]),
            ["CloudTrailEvent"] = e.CloudTrailEvent,
        };
        if (e.AccessKeyId is not null)
        {
            json["AccessKeyId"] = e.AccessKeyId;
        }

        return json;
    }
}
