using System.Text.Json;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Core.Identity;
using Portal.Core.Tokens;
using Portal.Infrastructure.Persistence.Entities;

namespace Portal.Infrastructure.Persistence.Stores;

/// <summary>Rows to domain records and back.</summary>
internal static class EntityMapping
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static PortalEnvironment ToDomain(this EnvironmentEntity e) => new()
    {
        Name = e.Name,
        DisplayName = e.DisplayName,
        Tier = EnvironmentTiers.TryParse(e.Tier, out var tier) ? tier : EnvironmentTier.Dev,
        Cluster = e.Cluster,
        Namespace = e.Namespace,
        OwningTeam = e.OwningTeam,
        CostCentre = e.CostCentre,
        MonthlyBudget = e.MonthlyBudget,
        ExpiresAt = e.ExpiresAt,
        Labels = JsonSerializer.Deserialize<Dictionary<string, string>>(e.Labels, Json) ?? [],
        Quota = new EnvironmentQuota(e.QuotaCpu, e.QuotaMemory, e.QuotaPods),
        RequireDeployApproval = e.RequireDeployApproval,
        AutoRollback = e.AutoRollback,
        CreatedBy = e.CreatedBy,
        CreatedAt = e.CreatedAt,
        Status = Enum.TryParse<EnvironmentStatus>(e.Status, out var status) ? status : EnvironmentStatus.Requested,
        Version = e.Version,
    };

    public static void CopyTo(this PortalEnvironment d, EnvironmentEntity e)
    {
        e.DisplayName = d.DisplayName;
        e.Tier = d.Tier.ToWire();
        e.Cluster = d.Cluster;
        e.Namespace = d.Namespace;
        e.OwningTeam = d.OwningTeam;
        e.CostCentre = d.CostCentre;
        e.MonthlyBudget = d.MonthlyBudget;
        e.ExpiresAt = d.ExpiresAt;
        e.Labels = JsonSerializer.Serialize(d.Labels, Json);
        e.QuotaCpu = d.Quota.Cpu;
        e.QuotaMemory = d.Quota.Memory;
        e.QuotaPods = d.Quota.Pods;
        e.RequireDeployApproval = d.RequireDeployApproval;
        e.AutoRollback = d.AutoRollback;
        e.CreatedBy = d.CreatedBy;
        e.CreatedAt = d.CreatedAt;
        e.Status = d.Status.ToString();
        e.Version = d.Version;
    }

    public static EnvironmentEntity ToEntity(this PortalEnvironment d)
    {
        var e = new EnvironmentEntity { Name = d.Name, DisplayName = d.DisplayName, Tier = d.Tier.ToWire() };
        d.CopyTo(e);
        return e;
    }

    public static RoleBinding ToDomain(this RoleBindingEntity e) => new(
        e.Id,
        Enum.Parse<SubjectKind>(e.SubjectKind),
        e.Subject,
        e.Role,
        new BindingScope(Enum.Parse<BindingScopeKind>(e.ScopeKind), e.ScopeValue),
        e.ExpiresAt,
        e.CreatedBy,
        e.CreatedAt);

    public static RoleBindingEntity ToEntity(this RoleBinding d) => new()
    {
        Id = d.Id,
        SubjectKind = d.SubjectKind.ToString(),
        Subject = d.Subject,
        Role = d.Role,
        ScopeKind = d.Scope.Kind.ToString(),
        ScopeValue = d.Scope.Value,
        ExpiresAt = d.ExpiresAt,
        CreatedBy = d.CreatedBy,
        CreatedAt = d.CreatedAt,
    };

    public static PortalUser ToDomain(this UserEntity e) => new(
        e.UserName, e.DisplayName, e.Email, ReadGroups(e.Groups), e.Source, e.Disabled);

    public static IReadOnlySet<string> ReadGroups(string json) =>
        (JsonSerializer.Deserialize<string[]>(json, Json) ?? []).ToHashSet(StringComparer.Ordinal);

    public static string WriteList(IEnumerable<string> values) => JsonSerializer.Serialize(values.ToArray(), Json);

    public static AccessToken ToDomain(this AccessTokenEntity e) => new(
        e.Id, e.UserName, e.Name, e.Hash, e.Prefix,
        e.Environments is null ? null : JsonSerializer.Deserialize<string[]>(e.Environments, Json),
        e.CreatedAt, e.ExpiresAt, e.RevokedAt, e.LastUsedAt, Enum.Parse<TokenKind>(e.Kind));

    public static AccessTokenEntity ToEntity(this AccessToken d) => new()
    {
        Id = d.Id,
        UserName = d.UserName,
        Name = d.Name,
        Hash = d.Hash,
        Prefix = d.Prefix,
        Environments = d.Environments is null ? null : WriteList(d.Environments),
        CreatedAt = d.CreatedAt,
        ExpiresAt = d.ExpiresAt,
        RevokedAt = d.RevokedAt,
        LastUsedAt = d.LastUsedAt,
        Kind = d.Kind.ToString(),
    };

    public static AuditRecord ToDomain(this AuditRecordEntity e) => new(
        e.Id, e.At, e.Actor, e.Channel, e.ClientAddress, e.Environment, e.Action, e.Target, e.Parameters,
        Enum.Parse<AuditOutcome>(e.Outcome), e.Reason, e.CorrelationId);

    public static AuditRecordEntity ToEntity(this AuditRecord d) => new()
    {
        Id = d.Id,
        At = d.At,
        Actor = Truncate(d.Actor, 200)!,
        Channel = Truncate(d.Channel, 16)!,
        ClientAddress = Truncate(d.ClientAddress, 64),
        Environment = Truncate(d.Environment, 63),
        Action = Truncate(d.Action, 64)!,
        Target = Truncate(d.Target, 300),
        Parameters = d.Parameters,
        Outcome = d.Outcome.ToString(),
        Reason = d.Reason,
        CorrelationId = Truncate(d.CorrelationId, 64)!,
    };

    private static string? Truncate(string? value, int max) => value is not null && value.Length > max ? value[..max] : value;
}
