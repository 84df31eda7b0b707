namespace Portal.Logs.Elasticsearch;

/// <summary>What <c>GET /</c> told about the engine, and what follows from it.</summary>
internal sealed record ElasticsearchServerInfo(ElasticsearchFlavor Flavor, Version? Version)
{
    private static readonly Version FirstElasticsearchWithShardDoc = new(7, 12);
    private static readonly Version FirstOpenSearchWithShardDoc = new(3, 3);

    /// <summary>
    /// The sort tiebreaker after the timestamp: <c>_shard_doc</c> (unique and stable within a point in time) on
    /// Elasticsearch 7.12+ and OpenSearch 3.3+; <c>_id</c> on Elasticsearch 7.10-7.11 and older OpenSearch, which
    /// have no <c>_shard_doc</c> (an OpenSearch of unknown version is taken to be older).
    /// </summary>
    public string Tiebreaker => Flavor switch
    {
        ElasticsearchFlavor.OpenSearch when Version is null || Version < FirstOpenSearchWithShardDoc => "_id",
        ElasticsearchFlavor.Elasticsearch when Version is not null && Version < FirstElasticsearchWithShardDoc => "_id",
        _ => "_shard_doc",
    };
}

/// <summary>The point in time a search used has expired or was freed.</summary>
internal sealed class PointInTimeMissingException(string message) : Exception(message);
