namespace Portal.Core.Audit;

public enum AuditOutcome
{
    Succeeded,

    /// <summary>Refused by authorization.</summary>
    Denied,

    /// <summary>Refused because the input was invalid.</summary>
    Invalid,

    /// <summary>Allowed and valid, but could not be done (not found, conflict, dependency error).</summary>
    Failed,
}

/// <summary>One entry of the append-only audit trail.</summary>
public sealed record AuditRecord(
    Guid Id,
    DateTimeOffset At,
    string Actor,
    string Channel,
    string? ClientAddress,
    string? Environment,
    string Action,
    string? Target,
    string Parameters,
    AuditOutcome Outcome,
    string? Reason,
    string CorrelationId);

/// <summary>Filters of the audit page and API; every field optional.</summary>
public sealed record AuditQuery
{
    public string? Actor { get; init; }
    public string? Environment { get; init; }
    public string? Action { get; init; }
    public AuditOutcome? Outcome { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int Skip { get; init; }
    public int Take { get; init; } = 50;
}

public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, int Total);
