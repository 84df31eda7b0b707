namespace Portal.Core.Logs;

/// <summary>
/// A Discover state kept under a name: private to its owner, or shared with everyone who may read the logs of
/// <see cref="SharedWith"/>.
/// </summary>
public sealed record SavedSearch(
    Guid Id,
    string Name,
    string Owner,
    string? SharedWith,
    SavedSearchState State,
    DateTimeOffset CreatedAt);

/// <summary>Everything the Discover URL carries: query, range as typed, environment, columns and filter pills.</summary>
public sealed record SavedSearchState
{
    public string? Query { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Environment { get; init; }

    public IReadOnlyList<string> Columns { get; init; } = [];

    public IReadOnlyList<LogFilter> Filters { get; init; } = [];
}

public sealed record SaveSearchRequest
{
    public string? Name { get; init; }

    /// <summary>An environment to share with; null keeps it private.</summary>
    public string? SharedWith { get; init; }

    public SavedSearchState? State { get; init; }
}

public interface ISavedSearchRepository
{
    Task<SavedSearch?> FindAsync(Guid id, CancellationToken ct);

    /// <summary><paramref name="owner"/>'s own searches and those shared with any of <paramref name="environments"/>, by name.</summary>
    Task<IReadOnlyList<SavedSearch>> VisibleAsync(string owner, IReadOnlyCollection<string> environments, CancellationToken ct);

    /// <summary>A second search with the same owner and name makes the commit a conflict.</summary>
    void Add(SavedSearch search);

    void Remove(SavedSearch search);
}
