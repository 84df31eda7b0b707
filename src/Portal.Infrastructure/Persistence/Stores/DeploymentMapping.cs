using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Provisioning;
using Portal.Infrastructure.Persistence.Entities;

namespace Portal.Infrastructure.Persistence.Stores;

/// <summary>Catalog services and releases to rows and back; their nested parts are stored as JSON.</summary>
internal static class DeploymentMapping
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static ServiceEntity ToEntity(this ServiceDefinition d) => new()
    {
        Name = d.Name,
        OwningTeam = d.OwningTeam,
        Definition = JsonSerializer.Serialize(d, Json),
        CreatedBy = d.CreatedBy,
        CreatedAt = d.CreatedAt,
        UpdatedBy = d.UpdatedBy,
        UpdatedAt = d.UpdatedAt,
        Version = d.Version,
    };

    public static ServiceDefinition ToDomain(this ServiceEntity e) =>
        (JsonSerializer.Deserialize<ServiceDefinition>(e.Definition, Json) ?? throw new InvalidOperationException($"Service '{e.Name}' has no definition.")) with
        {
            Name = e.Name,
            OwningTeam = e.OwningTeam,
            CreatedBy = e.CreatedBy,
            CreatedAt = e.CreatedAt,
            UpdatedBy = e.UpdatedBy,
            UpdatedAt = e.UpdatedAt,
            Version = e.Version,
        };

    public static ServiceRevisionEntity ToEntity(this ServiceRevision r) => new()
    {
        Service = r.Service,
        Version = r.Version,
        Definition = JsonSerializer.Serialize(r.Definition, Json),
        ChangedBy = r.ChangedBy,
        ChangedAt = r.ChangedAt,
        Changed = JsonSerializer.Serialize(r.Changed, Json),
    };

    public static ServiceRevision ToDomain(this ServiceRevisionEntity e) => new(
        e.Service,
        e.Version,
        JsonSerializer.Deserialize<ServiceDefinition>(e.Definition, Json)!,
        e.ChangedBy,
        e.ChangedAt,
        JsonSerializer.Deserialize<List<string>>(e.Changed, Json) ?? []);

    public static ReleaseEntity ToEntity(this Release d) => new()
    {
        Id = d.Id,
        Service = d.Service,
        Environment = d.Environment,
        Number = d.Number,
        Kind = d.Kind.ToString(),
        Source = d.Source,
        Spec = JsonSerializer.Serialize(d.Spec, Json),
        Manifests = JsonSerializer.Serialize(d.Manifests, Json),
        RequestedBy = d.RequestedBy,
        CreatedAt = d.CreatedAt,
        StartedAt = d.StartedAt,
        FinishedAt = d.FinishedAt,
        State = d.State.ToString(),
        Failure = d.Failure,
        FailureReason = d.FailureReason,
        JobId = d.JobId,
        Samples = JsonSerializer.Serialize(d.Samples, Json),
        Version = d.Version,
    };

    public static Release ToDomain(this ReleaseEntity e) => new()
    {
        Id = e.Id,
        Service = e.Service,
        Environment = e.Environment,
        Number = e.Number,
        Kind = Enum.Parse<ReleaseKind>(e.Kind),
        Source = e.Source,
        Spec = JsonSerializer.Deserialize<DeploySpec>(e.Spec, Json)!,
        Manifests = JsonSerializer.Deserialize<List<PlannedObject>>(e.Manifests, Json) ?? [],
        RequestedBy = e.RequestedBy,
        CreatedAt = e.CreatedAt,
        StartedAt = e.StartedAt,
        FinishedAt = e.FinishedAt,
        State = Enum.Parse<ReleaseState>(e.State),
        Failure = e.Failure,
        FailureReason = e.FailureReason,
        JobId = e.JobId,
        Samples = JsonSerializer.Deserialize<List<RolloutSample>>(e.Samples, Json) ?? [],
        Version = e.Version,
    };
}
