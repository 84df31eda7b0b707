using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Portal.Core.Logs;

namespace Portal.Logs.Ingest;

/// <summary>Elasticsearch's <c>_bulk</c> answer (<c>took</c>, <c>errors</c>, <c>items</c>), so shippers retry only what failed.</summary>
public static class BulkResponse
{
    public static JsonObject Create(IReadOnlyList<BulkItem> items, IReadOnlyList<IngestOutcome?> outcomes, long tookMillis)
    {
        var array = new JsonArray();
        var errors = false;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var error = item.Error ?? outcomes[i]?.Error;
            var result = new JsonObject
            {
                ["_index"] = item.Index ?? (outcomes[i]?.Environment is { } env ? $"logs-{env}" : null),
                ["_id"] = item.Id ?? NewId(),
            };
            if (error is null)
            {
                result["_version"] = 1;
                result["result"] = "created";
                result["_shards"] = new JsonObject { ["total"] = 1, ["successful"] = 1, ["failed"] = 0 };
                result["status"] = 201;
            }
            else
            {
                errors = true;
                result["status"] = 400;
                result["error"] = new JsonObject { ["type"] = error.Type, ["reason"] = error.Reason };
            }

            array.Add(new JsonObject { [item.Action] = result });
        }

        return new JsonObject { ["took"] = tookMillis, ["errors"] = errors, ["items"] = array };
    }

    /// <summary>The shape of an error that fails a whole request, as Elasticsearch writes it.</summary>
    public static JsonObject Error(string type, string reason, int status) => new()
    {
        ["error"] = new JsonObject
        {
            ["root_cause"] = new JsonArray(new JsonObject { ["type"] = type, ["reason"] = reason }),
            ["type"] = type,
            ["reason"] = reason,
        },
        ["status"] = status,
    };

    private static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');
}
