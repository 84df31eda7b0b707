namespace Portal.Core.Alarms;

/// <summary>
/// Port: who changed what in the infrastructure an environment runs on. Adapter <c>CloudTrailChangeTrail</c>
/// (Portal.Aws) calls CloudTrail's <c>LookupEvents</c> in the accounts that serve the environment.
/// </summary>
public interface IChangeTrail
{
    /// <summary>
    /// One page of events of <paramref name="environment"/>'s accounts in the query's range, newest first. CloudTrail
    /// takes one lookup attribute; the other filters of <see cref="TrailQuery"/> are applied to what it returns.
    /// </summary>
    /// <exception cref="AlarmSourceException">An account could not be read.</exception>
    Task<TrailPage> LookupAsync(string environment, TrailQuery query, CancellationToken ct);
}

/// <summary>CloudTrail's <c>LookupAttributeKey</c> values, by their wire names.</summary>
public enum TrailAttributeKey
{
    EventId,
    EventName,
    ReadOnly,
    Username,
    ResourceType,
    ResourceName,
    EventSource,
    AccessKeyId,
}

public sealed record TrailAttribute(TrailAttributeKey Key, string Value);

public sealed record TrailQuery
{
    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    /// <summary>Sent to CloudTrail as the lookup attribute (it takes at most one).</summary>
    public TrailAttribute? Attribute { get; init; }

    /// <summary>At most this many events in the page.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>The <see cref="TrailPage.NextToken"/> of the previous page.</summary>
    public string? NextToken { get; init; }
}

public sealed record TrailResource(string? Type, string? Name);

/// <summary>
/// One management event. <see cref="Detail"/> is CloudTrail's <c>CloudTrailEvent</c> JSON with credentials
/// (access key ids, session tokens) removed.
/// </summary>
public sealed record TrailEvent(
    string Id,
    DateTimeOffset Time,
    string EventName,
    string EventSource,
    string? Username,
    bool ReadOnly,
    IReadOnlyList<TrailResource> Resources,
    string Account,
    string? Detail);

public sealed record TrailPage(IReadOnlyList<TrailEvent> Events, string? NextToken);
