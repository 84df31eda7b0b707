namespace Portal.Core.Logs;

/// <summary>
/// A search as the Discover page and <c>POST /api/v1/logs/search</c> ask for it: text the user typed, times as typed
/// (<c>now-15m</c> or ISO 8601), and filter pills. <see cref="LogSearchService"/> validates and resolves it.
/// </summary>
public sealed record LogSearchInput
{
    public string? Query { get; init; }

    /// <summary>Default <c>now-15m</c>, as in Kibana.</summary>
    public string? From { get; init; }

    /// <summary>Default <c>now</c>.</summary>
    public string? To { get; init; }

    /// <summary>One environment; null searches every environment whose logs the user may read.</summary>
    public string? Environment { get; init; }

    public IReadOnlyList<LogFilter>? Filters { get; init; }

    /// <summary>Hits per page, 1 to <see cref="LogSearchService.MaxPageSize"/>; default 100.</summary>
    public int? Size { get; init; }

    /// <summary>A hit's cursor: the next page after it.</summary>
    public string? SearchAfter { get; init; }

    public LogOrder Order { get; init; } = LogOrder.NewestFirst;

    /// <summary>With the histogram of hits over time (first pages); paging and the live tail leave it out.</summary>
    public bool Histogram { get; init; } = true;
}

/// <summary>A filter pill: <c>field</c> is (or, negated, is not) <c>value</c>, matched as a phrase.</summary>
public sealed record LogFilter(string Field, string Value, bool Negate = false);

/// <summary>What a search found, with the resolved range and the environments it covered.</summary>
public sealed record LogSearchResponse
{
    public required IReadOnlyList<LogHit> Hits { get; init; }

    public required long Total { get; init; }

    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    public TimeSpan? Interval { get; init; }

    public IReadOnlyList<LogHistogramBucket> Histogram { get; init; } = [];

    /// <summary>Kibana's field sidebar: every field of the <see cref="SampleSize"/> newest hits with its top values.</summary>
    public IReadOnlyList<LogFieldSummary> Fields { get; init; } = [];

    public int SampleSize { get; init; }

    public required IReadOnlyList<string> Environments { get; init; }

    /// <summary>The last hit's cursor when there may be more; null at the end.</summary>
    public string? NextCursor { get; init; }
}
