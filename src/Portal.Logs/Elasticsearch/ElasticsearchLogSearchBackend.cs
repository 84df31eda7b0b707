using System.Text.Json.Nodes;
using Portal.Core.Logs;

namespace Portal.Logs.Elasticsearch;

/// <summary>
/// Log search on Elasticsearch 7.12+/8.x or OpenSearch 2.4+ over REST, paged like Kibana's Discover: a point in time
/// (PIT) per search, sorted by timestamp with a tiebreaker, and <c>search_after</c> from the cursor every hit carries.
/// </summary>
/// <remarks>
/// <para>
/// A first page opens a PIT on the scopes' indices and every hit's cursor names it, so the next page, and the hit's
/// surrounding documents (the same cursor searched in the opposite order), read the same snapshot. Each search extends
/// the PIT by <see cref="ElasticsearchOptions.PointInTimeKeepAlive"/>. PITs are not closed after a page that has hits:
/// as in Kibana, a user may page or open a hit's context at any moment, and the keep-alive frees them soon after the
/// last use. A PIT whose search found nothing is closed at once, since no cursor can refer to it.
/// </para>
/// <para>
/// When a cursor's PIT has expired, a new one is opened and the search continues from the cursor's timestamp. With the
/// <c>_shard_doc</c> tiebreaker, whose values mean nothing in another PIT, it continues from the very edge of that
/// timestamp (every document with the same timestamp comes again, so none is skipped) and leaves out the cursor's own
/// document by <c>_id</c>. With the <c>_id</c> tiebreaker (OpenSearch before 3.3) the cursor's values stay valid and
/// the search continues exactly where it was.
/// </para>
/// </remarks>
public sealed class ElasticsearchLogSearchBackend : ILogSearchBackend
{
    private const int MaxHistogramBuckets = 100_000;

    private readonly ElasticsearchClient _client;
    private readonly ElasticsearchOptions _options;
    private readonly ElasticsearchIndices _indices;
    private readonly ElasticsearchQueryCompiler _compiler;

    internal ElasticsearchLogSearchBackend(ElasticsearchClient client, ElasticsearchOptions options)
    {
        _client = client;
        _options = options;
        _indices = new ElasticsearchIndices(options.IndexPattern, string.IsNullOrWhiteSpace(options.EnvironmentFilterField) ? null : options.EnvironmentFilterField);
        _compiler = new ElasticsearchQueryCompiler(options.TimestampField);
    }

    public async Task<LogSearchResult> SearchAsync(LogSearchRequest request, CancellationToken cancellationToken)
    {
        if (request.Scopes.Count == 0)
        {
            throw new ArgumentException("A search needs at least one scope.", nameof(request));
        }

        CheckHistogram(request);
        var indices = _indices.For(request.Scopes);
        var plan = new SearchPlan
        {
            Query = _compiler.Compile(request.Query),
            From = request.From,
            To = request.To,
            Size = Math.Max(0, request.Size),
            Order = request.Order,
            TimestampField = _options.TimestampField,
            Tiebreaker = (await _client.ServerInfoAsync(cancellationToken)).Tiebreaker,
            ScopeFilter = _indices.ScopeFilter(request.Scopes),
            HistogramInterval = request.HistogramInterval,
            KeepAlive = _options.PointInTimeKeepAlive,
        };

        var cursor = request.SearchAfter is null ? null : ElasticsearchCursor.Decode(request.SearchAfter);
        if (cursor is null && plan.Size == 0)
        {
            // Only the total and the histogram: no hits, so no cursor, so no point in time.
            var counted = ElasticsearchResponses.ParseSearch(await _client.SearchAsync(indices, ElasticsearchSearchBody.Build(plan), cancellationToken), _options.TimestampField);
            return new LogSearchResult([], counted.Total, Histogram(request, counted));
        }

        var (parsed, pitId, opened) = await SearchInPointInTimeAsync(plan, indices, cursor, cancellationToken);
        if (opened && parsed.Hits.Count == 0)
        {
            await _client.ClosePointInTimeAsync(pitId, CancellationToken.None);
        }

        var hits = parsed.Hits
            .Select(h => new LogHit(
                h.Id,
                h.Timestamp,
                _indices.EnvironmentOf(h.Index, h.Source, request.Scopes),
                h.Source,
                new ElasticsearchCursor(pitId, indices, h.Sort, h.Id, plan.Tiebreaker).Encode()))
            .ToList();
        return new LogSearchResult(hits, parsed.Total, Histogram(request, parsed));
    }

    public async Task<IReadOnlyList<LogField>> FieldsAsync(IReadOnlyList<LogScope> scopes, CancellationToken cancellationToken)
    {
        if (scopes.Count == 0)
        {
            return [];
        }

        return ElasticsearchResponses.ParseFieldCaps(await _client.FieldCapsAsync(_indices.For(scopes), cancellationToken));
    }

    /// <summary>Searches in the cursor's PIT when it still serves, else in a new one; returns the PIT the hits belong to.</summary>
    private async Task<(ParsedSearch Parsed, string PitId, bool Opened)> SearchInPointInTimeAsync(SearchPlan plan, string indices, ElasticsearchCursor? cursor, CancellationToken ct)
    {
        var reusable = cursor is not null && cursor.Indices == indices && cursor.Tiebreaker == plan.Tiebreaker;
        if (reusable)
        {
            try
            {
                var same = plan with { PitId = cursor!.PitId, SearchAfter = cursor.Sort };
                var parsed = ElasticsearchResponses.ParseSearch(await _client.SearchAsync(null, ElasticsearchSearchBody.Build(same), ct), _options.TimestampField);
                return (parsed, parsed.PitId ?? cursor.PitId, false);
            }
            catch (PointInTimeMissingException)
            {
                // Expired: continue below in a new point in time.
            }
        }

        var pitId = await _client.OpenPointInTimeAsync(indices, ct);
        var fresh = cursor is null ? plan with { PitId = pitId } : Resume(plan with { PitId = pitId }, cursor);
        try
        {
            var parsed = ElasticsearchResponses.ParseSearch(await _client.SearchAsync(null, ElasticsearchSearchBody.Build(fresh), ct), _options.TimestampField);
            return (parsed, parsed.PitId ?? pitId, true);
        }
        catch (PointInTimeMissingException)
        {
            throw new LogBackendException(LogBackendFailure.Unavailable, $"{_client.Product} lost the point in time it had just opened; try again.");
        }
        catch
        {
            await _client.ClosePointInTimeAsync(pitId, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Continues after <paramref name="cursor"/> in a point in time the cursor was not made in.</summary>
    private static SearchPlan Resume(SearchPlan plan, ElasticsearchCursor cursor)
    {
        var timestamp = cursor.Sort[0]?.DeepClone();
        if (plan.Tiebreaker == "_id")
        {
            return plan with { SearchAfter = new JsonArray(timestamp, cursor.Id) };
        }

        var edge = plan.Order == LogOrder.OldestFirst ? -1L : long.MaxValue;
        return plan with { SearchAfter = new JsonArray(timestamp, edge), ExcludeId = cursor.Id };
    }

    private static void CheckHistogram(LogSearchRequest request)
    {
        if (request.HistogramInterval is not { } interval)
        {
            return;
        }

        var width = (long)interval.TotalMilliseconds;
        if (width < 1 || (request.To - request.From).TotalMilliseconds / width > MaxHistogramBuckets)
        {
            throw new LogBackendException(LogBackendFailure.InvalidQuery,
                $"A histogram interval of {interval} is too fine for this time range (more than {MaxHistogramBuckets} buckets).");
        }
    }

    private static IReadOnlyList<LogHistogramBucket> Histogram(LogSearchRequest request, ParsedSearch parsed) =>
        request.HistogramInterval is { } interval ? ElasticsearchResponses.Histogram(request.From, request.To, interval, parsed.Buckets) : [];
}
