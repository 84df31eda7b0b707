using Portal.Core.Alarms;
using Portal.Core.Approvals;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Environments;
using Portal.Core.Jobs;
using Portal.Core.Logs;
using Portal.Core.Tokens;

namespace Portal.Core.Actions;

/// <summary>
/// Port: one transaction over Portal's own data. An action's changes and its audit record are committed together,
/// so an action is either done and audited, or not done at all.
/// </summary>
public interface IPortalUnitOfWork : IAsyncDisposable
{
    IEnvironmentRepository Environments { get; }

    IRoleBindingRepository Bindings { get; }

    IAccessTokenRepository Tokens { get; }

    /// <summary>New jobs, committed with the change that asked for them; the runner updates them through IJobStore.</summary>
    IJobRepository Jobs { get; }

    IApprovalRepository Approvals { get; }

    IServiceRepository Services { get; }

    IReleaseRepository Releases { get; }

    ISavedSearchRepository SavedSearches { get; }

    IAlarmTriageRepository AlarmTriage { get; }

    Portal.Core.Costs.IBudgetRepository Budgets { get; }

    void Audit(AuditRecord record);

    /// <summary>Commits everything added or changed. A lost update or a duplicate key becomes <see cref="ConflictException"/>.</summary>
    Task CommitAsync(CancellationToken ct);
}

public interface IUnitOfWorkFactory
{
    IPortalUnitOfWork Begin();
}

public interface IEnvironmentRepository
{
    Task<PortalEnvironment?> FindAsync(string name, CancellationToken ct);

    Task<IReadOnlyList<PortalEnvironment>> ListAsync(CancellationToken ct);

    void Add(PortalEnvironment environment);

    /// <summary>
    /// Stores a person's edit of <paramref name="changed"/>, provided the stored version is still
    /// <paramref name="expectedVersion"/>. Every field but the status, which only <see cref="SetStatus"/> moves.
    /// </summary>
    void Update(PortalEnvironment changed, int expectedVersion);

    /// <summary>
    /// Moves the status at commit, provided it is still <paramref name="from"/> (else the commit is a conflict). The
    /// version stays: jobs moving an environment through its lifecycle never make a person's edit look stale.
    /// </summary>
    /// <param name="version">When given, the move also requires this version: nothing else about it changed (an extension, say).</param>
    void SetStatus(string name, EnvironmentStatus from, EnvironmentStatus to, int? version = null);
}

public interface IJobRepository
{
    void Add(PortalJob job);

    /// <summary>The environment's job that has not finished, if any: one job per environment at a time.</summary>
    Task<PortalJob?> UnfinishedForAsync(string environment, CancellationToken ct);
}

public interface IApprovalRepository
{
    Task<ApprovalRequest?> FindAsync(Guid id, CancellationToken ct);

    /// <summary>Newest first; <paramref name="state"/> null lists every state.</summary>
    Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalState? state, string? environment, CancellationToken ct);

    void Add(ApprovalRequest request);

    void Update(ApprovalRequest changed, int expectedVersion);
}

public interface IServiceRepository
{
    Task<ServiceDefinition?> FindAsync(string name, CancellationToken ct);

    Task<IReadOnlyList<ServiceDefinition>> ListAsync(CancellationToken ct);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<ServiceRevision>> RevisionsAsync(string name, CancellationToken ct);

    void Add(ServiceDefinition service, ServiceRevision revision);

    /// <summary>Stores the edit provided the stored version is still <paramref name="expectedVersion"/>, and its revision.</summary>
    void Update(ServiceDefinition changed, int expectedVersion, ServiceRevision revision);
}

public sealed record ReleaseQuery
{
    public string? Service { get; init; }

    public string? Environment { get; init; }

    public IReadOnlyCollection<ReleaseState>? States { get; init; }

    public int Take { get; init; } = 100;
}

public interface IReleaseRepository
{
    Task<Release?> FindAsync(Guid id, CancellationToken ct);

    Task<Release?> FindByJobAsync(Guid jobId, CancellationToken ct);

    /// <summary>Newest first (by creation).</summary>
    Task<IReadOnlyList<Release>> ListAsync(ReleaseQuery query, CancellationToken ct);

    /// <summary>The next release number of a service in an environment (1 for the first).</summary>
    Task<int> NextNumberAsync(string service, string environment, CancellationToken ct);

    /// <summary>Adds a release. Two active releases of one service in one environment make the commit a conflict.</summary>
    void Add(Release release);

    void Update(Release changed, int expectedVersion);
}

public interface IRoleBindingRepository : IRoleBindingReader
{
    Task<RoleBinding?> FindAsync(Guid id, CancellationToken ct);

    void Add(RoleBinding binding);

    void Remove(RoleBinding binding);
}

public interface IAccessTokenRepository
{
    Task<AccessToken?> FindByHashAsync(string hash, CancellationToken ct);

    Task<AccessToken?> FindAsync(Guid id, CancellationToken ct);

    Task<IReadOnlyList<AccessToken>> ForUserAsync(string userName, CancellationToken ct);

    void Add(AccessToken token);

    void Revoke(AccessToken token, DateTimeOffset at);

    void Touch(AccessToken token, DateTimeOffset at);
}
