using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Core.Actions;

namespace Portal.Core.Logs;

/// <summary>One document a shipper sent, with the index it named (from the action line or the URL), if any.</summary>
public sealed record IngestDocument(string? Index, JsonObject Document);

/// <summary>Per document: stored in <see cref="Environment"/>, or refused with <see cref="Error"/> (Elasticsearch's error type and reason).</summary>
public sealed record IngestOutcome(string? Environment, IngestError? Error);

public sealed record IngestError(string Type, string Reason);

/// <summary>
/// Assigns shipped documents to environments and appends them to the embedded store in one transaction. A document
/// belongs to the environment whose namespace its <c>kubernetes.namespace_name</c> names (Fluent Bit's kubernetes
/// filter), else to the environment its index names (<c>logs-{environment}-…</c>); a document that names neither is
/// refused on its own, as Elasticsearch refuses one bad item of a <c>_bulk</c> and stores the rest.
/// </summary>
public sealed class LogIngestService(ILogStore store, IUnitOfWorkFactory units, TimeProvider clock)
{
    public const string NamespaceField = "kubernetes.namespace_name";
    public const string TimestampField = "@timestamp";

    public async Task<IReadOnlyList<IngestOutcome>> IngestAsync(IReadOnlyList<IngestDocument> documents, CancellationToken ct)
    {
        var (byNamespace, byName) = await EnvironmentsAsync(ct);
        var now = clock.GetUtcNow();
        var outcomes = new IngestOutcome[documents.Count];
        var records = new List<LogRecord>(documents.Count);
        for (var i = 0; i < documents.Count; i++)
        {
            var (environment, error) = Resolve(documents[i], byNamespace, byName);
            var at = now;
            if (error is null && !TryTimestamp(documents[i].Document, now, out at, out error))
            {
                environment = null;
            }

            if (error is not null)
            {
                outcomes[i] = new IngestOutcome(null, error);
                continue;
            }

            records.Add(new LogRecord(environment!, at, documents[i].Document));
            outcomes[i] = new IngestOutcome(environment, null);
        }

        if (records.Count > 0)
        {
            await store.AppendAsync(records, ct);
        }

        return outcomes;
    }

    private static (string? Environment, IngestError? Error) Resolve(IngestDocument item, IReadOnlyDictionary<string, string> byNamespace, IReadOnlySet<string> byName)
    {
        if (LogDocumentFields.Display(LogDocumentFields.Get(item.Document, NamespaceField)) is { Length: > 0 } ns)
        {
            return byNamespace.TryGetValue(ns, out var env)
                ? (env, null)
                : (null, new IngestError("illegal_argument_exception", $"[{NamespaceField}] '{ns}' is not the namespace of any Portal environment"));
        }

        // logs-{environment}-anything, or logs-{environment}
        if (item.Index is { } index && index.StartsWith("logs-", StringComparison.Ordinal))
        {
            var rest = index["logs-".Length..];
            foreach (var name in byName.Where(n => rest == n || rest.StartsWith(n + "-", StringComparison.Ordinal)).OrderByDescending(n => n.Length))
            {
                return (name, null);
            }
        }

        return (null, new IngestError("illegal_argument_exception",
            $"cannot tell the document's environment: it has no [{NamespaceField}] and its index '{item.Index ?? "(none)"}' is not logs-{{environment}}-…"));
    }

    private static bool TryTimestamp(JsonObject document, DateTimeOffset now, out DateTimeOffset at, out IngestError? error)
    {
        error = null;
        at = now;
        var value = LogDocumentFields.Get(document, TimestampField);
        if (value is null)
        {
            // Elasticsearch stores a document without @timestamp; Discover then cannot place it. We place it at arrival.
            document[TimestampField] = now.ToString("O", CultureInfo.InvariantCulture);
            return true;
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var millis) && millis is > 0 and < 1e14)
        {
            at = DateTimeOffset.FromUnixTimeMilliseconds((long)millis);
            return true;
        }

        if (value is JsonValue s && s.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            at = parsed;
            return true;
        }

        error = new IngestError("mapper_parsing_exception", $"failed to parse field [{TimestampField}] of type [date]: '{value.ToJsonString()}' is not an ISO 8601 time or epoch milliseconds");
        return false;
    }

    private async Task<(IReadOnlyDictionary<string, string> ByNamespace, IReadOnlySet<string> ByName)> EnvironmentsAsync(CancellationToken ct)
    {
        await using var work = units.Begin();
        var live = (await work.Environments.ListAsync(ct)).Where(e => !e.IsGone).ToList();
        var byNamespace = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var env in live)
        {
            byNamespace.TryAdd(env.Namespace, env.Name);
        }

        return (byNamespace, live.Select(e => e.Name).ToHashSet(StringComparer.Ordinal));
    }
}
