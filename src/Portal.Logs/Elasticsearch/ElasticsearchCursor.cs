using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Core.Logs;

namespace Portal.Logs.Elasticsearch;

/// <summary>
/// What a <see cref="LogHit.Cursor"/> holds: the point in time the hit was found in, the targets it was opened on, the
/// hit's sort values (timestamp, then the tiebreaker named by <see cref="Tiebreaker"/>) and its <c>_id</c>. On the wire
/// it is base64url of compact JSON, opaque to callers.
/// </summary>
internal sealed record ElasticsearchCursor(string PitId, string Indices, JsonArray Sort, string Id, string Tiebreaker)
{
    public string Encode()
    {
        var json = new JsonObject
        {
            ["pit"] = PitId,
            ["idx"] = Indices,
            ["sort"] = Sort.DeepClone(),
            ["id"] = Id,
            ["tb"] = Tiebreaker,
        };
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    /// <exception cref="LogBackendException">Not a cursor this back end issued.</exception>
    public static ElasticsearchCursor Decode(string cursor)
    {
        try
        {
            var json = JsonNode.Parse(Base64Url.DecodeFromChars(cursor)) as JsonObject;
            if (json?["pit"]?.GetValue<string>() is { Length: > 0 } pit
                && json["idx"]?.GetValue<string>() is { } indices
                && json["sort"] is JsonArray { Count: 2 } sort
                && json["id"]?.GetValue<string>() is { } id
                && json["tb"]?.GetValue<string>() is { } tiebreaker)
            {
                return new ElasticsearchCursor(pit, indices, (JsonArray)sort.DeepClone(), id, tiebreaker);
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            // Falls through to the same answer as a well-formed but foreign value.
        }

        throw new LogBackendException(LogBackendFailure.InvalidQuery, "The search cursor is not one this log back end issued; start the search again.");
    }
}
