namespace Portal.Infrastructure.Persistence.Entities;

public sealed class AuditRecordEntity
{
    public Guid Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Actor { get; set; }

    public required string Channel { get; set; }

    public string? ClientAddress { get; set; }

    public string? Environment { get; set; }

    public required string Action { get; set; }

    public string? Target { get; set; }

    public required string Parameters { get; set; }

    public required string Outcome { get; set; }

    public string? Reason { get; set; }

    public required string CorrelationId { get; set; }
}
