using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Core.Logs;

namespace Portal.Logs.Ingest;

/// <summary>One action of an Elasticsearch <c>_bulk</c> body: its verb, the metadata it named, and its document.</summary>
public sealed record BulkItem(string Action, string? Index, string? Id, JsonObject? Document, IngestError? Error);

/// <summary>
/// Reads an Elasticsearch <c>_bulk</c> NDJSON body as Fluent Bit, Fluentd and Vector send it: an action line
/// (<c>{"index":{…}}</c> or <c>{"create":{…}}</c>) followed by a document line. <c>delete</c> and <c>update</c> are
/// answered per item as unsupported, as a read-only engine would. A line that is not JSON fails the whole request,
/// as in Elasticsearch, so nothing is stored from a body that was cut or garbled.
/// </summary>
public static class BulkRequest
{
    public static async Task<IReadOnlyList<BulkItem>> ReadAsync(Stream body, string? defaultIndex, CancellationToken ct)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        var items = new List<BulkItem>();
        var lineNumber = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var action = ParseObject(line, lineNumber, "action/metadata");
            if (action.Count != 1)
            {
                throw new BulkFormatException($"Malformed action/metadata line [{lineNumber}], expected a single object with one action, found {action.Count} keys");
            }

            var (verb, meta) = action.First();
            var index = (meta as JsonObject)?["_index"] is JsonValue named && named.TryGetValue<string>(out var text) ? text : defaultIndex;
            var id = (meta as JsonObject)?["_id"]?.ToString();
            switch (verb)
            {
                case "index" or "create":
                    var source = await reader.ReadLineAsync(ct);
                    lineNumber++;
                    if (source is null)
                    {
                        throw new BulkFormatException($"The bulk request must be terminated by a newline; the [{verb}] action on line [{lineNumber - 1}] has no document");
                    }

                    items.Add(new BulkItem(verb, index, id, ParseObject(source, lineNumber, "source"), null));
                    break;
                case "update":
                    await reader.ReadLineAsync(ct);
                    lineNumber++;
                    items.Add(new BulkItem(verb, index, id, null, Unsupported(verb)));
                    break;
                case "delete":
                    items.Add(new BulkItem(verb, index, id, null, Unsupported(verb)));
                    break;
                default:
                    throw new BulkFormatException($"Malformed action/metadata line [{lineNumber}], expected one of [create, delete, index, update] but found [{verb}]");
            }
        }

        return items;
    }

    private static IngestError Unsupported(string verb) =>
        new("illegal_argument_exception", $"[{verb}] is not supported: Portal's log store is append-only (use index or create)");

    private static JsonObject ParseObject(string line, int lineNumber, string what)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject
                ?? throw new BulkFormatException($"Malformed {what} line [{lineNumber}], expected a JSON object");
        }
        catch (JsonException ex)
        {
            throw new BulkFormatException($"Malformed {what} line [{lineNumber}]: {ex.Message}");
        }
    }
}

/// <summary>The body is not NDJSON of action and document lines: the whole request is refused (HTTP 400).</summary>
public sealed class BulkFormatException(string message) : Exception(message);
