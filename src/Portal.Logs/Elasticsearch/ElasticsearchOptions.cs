namespace Portal.Logs.Elasticsearch;

/// <summary>
/// Section <c>Logs:Elasticsearch</c>: where the cluster is (Elasticsearch 7.12+/8.x, OpenSearch 2.4+ or Amazon
/// OpenSearch Service), how Portal signs in, and how its indices map to Portal's environments.
/// </summary>
public sealed class ElasticsearchOptions
{
    public const string SectionName = "Logs:Elasticsearch";

    public const string EnvironmentPlaceholder = "{environment}";

    /// <summary>The cluster's base URL. User info in it (<c>https://user:pass@host</c>) is used as Basic credentials when no mode is set.</summary>
    public Uri? Url { get; set; }

    public ElasticsearchFlavor Flavor { get; set; } = ElasticsearchFlavor.Auto;

    /// <summary>
    /// The indices (or data streams) of one environment; <c>{environment}</c> becomes its name. A pattern without the
    /// placeholder is searched for every environment and needs <see cref="EnvironmentFilterField"/>.
    /// </summary>
    public string IndexPattern { get; set; } = "logs-{environment}-*";

    /// <summary>
    /// A field holding the Kubernetes namespace (e.g. <c>kubernetes.namespace_name</c>): searches are filtered to the
    /// scopes' namespaces on it, and each hit's environment is read from it. Unset: the environment comes from the
    /// index name.
    /// </summary>
    public string? EnvironmentFilterField { get; set; }

    public string TimestampField { get; set; } = "@timestamp";

    public ElasticsearchAuthenticationOptions Authentication { get; set; } = new();

    /// <summary>How long one HTTP request may take, retries not included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a request refused with 429 is tried again (after <c>Retry-After</c>, else with exponential back-off).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>How long a point in time stays open after each search (Elasticsearch time units: <c>2m</c>, <c>30s</c>).</summary>
    public string PointInTimeKeepAlive { get; set; } = "2m";
}

/// <summary>Credentials Portal presents to the cluster.</summary>
public sealed class ElasticsearchAuthenticationOptions
{
    public ElasticsearchAuthenticationMode Mode { get; set; } = ElasticsearchAuthenticationMode.None;

    /// <summary>The encoded API key (<c>Authorization: ApiKey &lt;key&gt;</c>).</summary>
    public string? ApiKey { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The AWS region the domain lives in (AwsSigV4).</summary>
    public string? Region { get; set; }

    /// <summary>The SigV4 signing name: <c>es</c> for Amazon OpenSearch Service, <c>aoss</c> for OpenSearch Serverless.</summary>
    public string Service { get; set; } = "es";
}

public enum ElasticsearchFlavor
{
    /// <summary>Asks <c>GET /</c> once: <c>version.distribution</c> is <c>opensearch</c> on OpenSearch.</summary>
    Auto,
    Elasticsearch,
    OpenSearch,
}

public enum ElasticsearchAuthenticationMode
{
    None,
    ApiKey,
    Basic,

    /// <summary>AWS Signature Version 4 with credentials from the AWS SDK's default chain.</summary>
    AwsSigV4,
}
