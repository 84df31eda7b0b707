namespace Portal.Aws.CloudTrail;

// Shapes of cloudtrail-2013-11-01 (botocore-cloudtrail-2013-11-01-service-2.json) for LookupEvents, member names as
// the model spells them.

/// <summary><c>AttributeKey</c> is one of EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId.</summary>
public sealed record LookupAttribute(string AttributeKey, string AttributeValue);

public sealed record LookupEventsRequest
{
    /// <summary>CloudTrail takes at most one.</summary>
    public IReadOnlyList<LookupAttribute>? LookupAttributes { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    /// <summary><c>insight</c> for Insights events; absent for management events.</summary>
    public string? EventCategory { get; init; }

    /// <summary>1 to 50; CloudTrail's default is 50.</summary>
    public int? MaxResults { get; init; }

    public string? NextToken { get; init; }
}

public sealed record Resource(string? ResourceType, string? ResourceName);

public sealed record Event
{
    public string? EventId { get; init; }

    public string? EventName { get; init; }

    /// <summary>A string in the model: <c>"true"</c> or <c>"false"</c>.</summary>
    public string? ReadOnly { get; init; }

    public string? AccessKeyId { get; init; }

    public DateTimeOffset? EventTime { get; init; }

    public string? EventSource { get; init; }

    public string? Username { get; init; }

    public IReadOnlyList<Resource>? Resources { get; init; }

    /// <summary>The whole event record, a JSON document in a string.</summary>
    public string? CloudTrailEvent { get; init; }
}

public sealed record LookupEventsResponse
{
    public IReadOnlyList<Event>? Events { get; init; }

    public string? NextToken { get; init; }
}
