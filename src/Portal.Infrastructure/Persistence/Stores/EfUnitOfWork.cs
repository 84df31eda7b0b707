using Microsoft.EntityFrameworkCore;
using Portal.Core.Actions;
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
using Portal.Infrastructure.Persistence.Availability;
using Portal.Infrastructure.Persistence.Entities;

namespace Portal.Infrastructure.Persistence.Stores;

/// <summary>One DbContext, hence one transaction at commit, behind Core's unit-of-work port.</summary>
/// <param name="lastKnown">Remembers the environments and bindings for pages to use while the database is away; the app always gives it.</param>
public sealed class EfUnitOfWorkFactory(IDbContextFactory<PortalDbContext> contexts, LastKnownReads? lastKnown = null) : IUnitOfWorkFactory
{
    public IPortalUnitOfWork Begin() => new EfUnitOfWork(contexts.CreateDbContext(), lastKnown);
}

internal sealed class EfUnitOfWork(PortalDbContext db, LastKnownReads? lastKnown = null)
    : IPortalUnitOfWork, IEnvironmentRepository, IRoleBindingRepository, IAccessTokenRepository, IJobRepository, IApprovalRepository,
      IServiceRepository, IReleaseRepository, ISavedSearchRepository
{
    private static readonly string[] UnfinishedStates = [nameof(JobState.Queued), nameof(JobState.Running)];
    private readonly List<(string Name, string From, string To, int? Version)> _statusMoves = [];

    public IEnvironmentRepository Environments => this;

    public IRoleBindingRepository Bindings => this;

    public IAccessTokenRepository Tokens => this;

    public IJobRepository Jobs => this;

    public IApprovalRepository Approvals => this;

    public IServiceRepository Services => this;

    public IReleaseRepository Releases => this;

    public ISavedSearchRepository SavedSearches => this;

    public IAlarmTriageRepository AlarmTriage { get; } = new EfAlarmTriageRepository(db);

    public Portal.Core.Costs.IBudgetRepository Budgets { get; } = new EfBudgetRepository(db);

    async Task<SavedSearch?> ISavedSearchRepository.FindAsync(Guid id, CancellationToken ct) =>
        (await db.SavedSearches.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct))?.ToDomain();

    async Task<IReadOnlyList<SavedSearch>> ISavedSearchRepository.VisibleAsync(string owner, IReadOnlyCollection<string> environments, CancellationToken ct)
    {
        var me = owner.ToLowerInvariant();
        var rows = await db.SavedSearches.AsNoTracking()
            .Where(s => s.Owner.ToLower() == me || (s.SharedWith != null && environments.Contains(s.SharedWith)))
            .ToListAsync(ct);
        return [.. rows.Select(s => s.ToDomain()).OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)];
    }

    void ISavedSearchRepository.Add(SavedSearch search) => db.SavedSearches.Add(search.ToEntity());

    void ISavedSearchRepository.Remove(SavedSearch search) => db.SavedSearches.Remove(search.ToEntity());

    async Task<ServiceDefinition?> IServiceRepository.FindAsync(string name, CancellationToken ct) =>
        (await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, ct))?.ToDomain();

    async Task<IReadOnlyList<ServiceDefinition>> IServiceRepository.ListAsync(CancellationToken ct) =>
        [.. (await db.Services.AsNoTracking().ToListAsync(ct)).Select(s => s.ToDomain())];

    async Task<IReadOnlyList<ServiceRevision>> IServiceRepository.RevisionsAsync(string name, CancellationToken ct) =>
        [.. (await db.ServiceRevisions.AsNoTracking().Where(r => r.Service == name).OrderByDescending(r => r.Version).ToListAsync(ct)).Select(r => r.ToDomain())];

    void IServiceRepository.Add(ServiceDefinition service, ServiceRevision revision)
    {
        db.Services.Add(service.ToEntity());
        db.ServiceRevisions.Add(revision.ToEntity());
    }

    void IServiceRepository.Update(ServiceDefinition changed, int expectedVersion, ServiceRevision revision)
    {
        db.UpdateIfVersion(changed.ToEntity(), expectedVersion);

        db.ServiceRevisions.Add(revision.ToEntity());
    }

    async Task<Release?> IReleaseRepository.FindAsync(Guid id, CancellationToken ct) =>
        (await db.Releases.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct))?.ToDomain();

    async Task<Release?> IReleaseRepository.FindByJobAsync(Guid jobId, CancellationToken ct) =>
        (await db.Releases.AsNoTracking().FirstOrDefaultAsync(r => r.JobId == jobId, ct))?.ToDomain();

    async Task<IReadOnlyList<Release>> IReleaseRepository.ListAsync(ReleaseQuery query, CancellationToken ct)
    {
        var rows = db.Releases.AsNoTracking().AsQueryable();
        if (query.Service is not null)
        {
            rows = rows.Where(r => r.Service == query.Service);
        }

        if (query.Environment is not null)
        {
            rows = rows.Where(r => r.Environment == query.Environment);
        }

        if (query.States is { Count: > 0 } states)
        {
            var names = states.Select(s => s.ToString()).ToList();
            rows = rows.Where(r => names.Contains(r.State));
        }

        // Newest first: by creation, then by number (two releases made in the same instant keep their order).
        return [.. (await rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Number).Take(query.Take).ToListAsync(ct)).Select(r => r.ToDomain())];
    }

    async Task<int> IReleaseRepository.NextNumberAsync(string service, string environment, CancellationToken ct) =>
        (await db.Releases.Where(r => r.Service == service && r.Environment == environment).MaxAsync(r => (int?)r.Number, ct) ?? 0) + 1;

    void IReleaseRepository.Add(Release release) => db.Releases.Add(release.ToEntity());

    void IReleaseRepository.Update(Release changed, int expectedVersion) => db.UpdateIfVersion(changed.ToEntity(), expectedVersion);

    void IJobRepository.Add(PortalJob job)
    {
        db.Jobs.Add(job.ToEntity());
        db.JobSteps.AddRange(job.Steps.Select(s => s.ToEntity(job.Id)));
    }

    async Task<PortalJob?> IJobRepository.UnfinishedForAsync(string environment, CancellationToken ct)
    {
        var row = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Environment == environment && UnfinishedStates.Contains(j.State), ct);
        return row?.ToDomain([]);
    }

    async Task<ApprovalRequest?> IApprovalRepository.FindAsync(Guid id, CancellationToken ct) =>
        (await db.ApprovalRequests.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct))?.ToDomain();

    async Task<IReadOnlyList<ApprovalRequest>> IApprovalRepository.ListAsync(ApprovalState? state, string? environment, CancellationToken ct)
    {
        var rows = db.ApprovalRequests.AsNoTracking().AsQueryable();
        if (state is { } s)
        {
            var text = s.ToString();
            rows = rows.Where(a => a.State == text);
        }

        if (environment is not null)
        {
            rows = rows.Where(a => a.Environment == environment);
        }

        return [.. (await rows.OrderByDescending(a => a.RequestedAt).Take(500).ToListAsync(ct)).Select(a => a.ToDomain())];
    }

    void IApprovalRepository.Add(ApprovalRequest request) => db.ApprovalRequests.Add(request.ToEntity());

    void IApprovalRepository.Update(ApprovalRequest changed, int expectedVersion) => db.UpdateIfVersion(changed.ToEntity(), expectedVersion);

    public void Audit(AuditRecord record) => db.AuditRecords.Add(record.ToEntity());

    public async Task CommitAsync(CancellationToken ct)
    {
        try
        {
            if (_statusMoves.Count == 0)
            {
                await db.SaveChangesAsync(ct);
                return;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            foreach (var (name, from, to, version) in _statusMoves)
            {
                var rows = db.Environments.Where(e => e.Name == name && e.Status == from);
                if (version is { } v)
                {
                    rows = rows.Where(e => e.Version == v);
                }

                if (await rows.ExecuteUpdateAsync(u => u.SetProperty(e => e.Status, to), ct) == 0)
                {
                    throw new ConflictException($"'{name}' is no longer {from}; reload and try again.");
                }
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("It was changed by someone else meanwhile; reload and try again.");
        }
        catch (DbUpdateException ex) when (UniqueViolation(ex) && ReleaseIndex(ex))
        {
            throw new ConflictException("Another deploy of this service to this environment was submitted at the same moment; look at its release, then try again or queue.");
        }
        catch (DbUpdateException ex) when (UniqueViolation(ex) && AlarmTriageKey(ex))
        {
            throw new ConflictException("Someone else triaged this alarm at the same moment; reload and try again.");
        }
        catch (DbUpdateException ex) when (UniqueViolation(ex))
        {
            throw new ConflictException("Something with the same name or key already exists.");
        }
    }

    public ValueTask DisposeAsync() => db.DisposeAsync();

    Task<PortalEnvironment?> IEnvironmentRepository.FindAsync(string name, CancellationToken ct) => Remembered($"environment:{name}", async () =>
        (await db.Environments.AsNoTracking().FirstOrDefaultAsync(e => e.Name == name, ct))?.ToDomain());

    Task<IReadOnlyList<PortalEnvironment>> IEnvironmentRepository.ListAsync(CancellationToken ct) => Remembered<IReadOnlyList<PortalEnvironment>>("environments", async () =>
        [.. (await db.Environments.AsNoTracking().ToListAsync(ct)).Select(e => e.ToDomain())]);

    /// <summary>A read every page makes first: remembered for the pages that need nothing else while the database is away.</summary>
    private Task<T> Remembered<T>(string key, Func<Task<T>> read) => lastKnown is null ? read() : lastKnown.ReadAsync(key, read);

    void IEnvironmentRepository.Add(PortalEnvironment environment) => db.Environments.Add(environment.ToEntity());

    void IEnvironmentRepository.Update(PortalEnvironment changed, int expectedVersion)
    {
        var entity = new EnvironmentEntity { Name = changed.Name, DisplayName = changed.DisplayName, Tier = changed.Tier.ToWire(), Version = expectedVersion };
        db.Environments.Attach(entity);
        changed.CopyTo(entity);
        db.Entry(entity).Property(e => e.Version).OriginalValue = expectedVersion;
        foreach (var property in db.Entry(entity).Properties.Where(p => !p.Metadata.IsPrimaryKey() && p.Metadata.Name != nameof(EnvironmentEntity.Status)))
        {
            property.IsModified = true;
        }
    }

    void IEnvironmentRepository.SetStatus(string name, EnvironmentStatus from, EnvironmentStatus to, int? version) =>
        _statusMoves.Add((name, from.ToString(), to.ToString(), version));

    Task<IReadOnlyList<RoleBinding>> IRoleBindingReader.ForSubjectsAsync(string userName, IReadOnlySet<string> groups, CancellationToken ct)
    {
        var user = userName.ToLowerInvariant();
        var groupList = groups.ToList();
        return Remembered<IReadOnlyList<RoleBinding>>($"bindings:{user}:{string.Join('\n', groupList.Order(StringComparer.Ordinal))}", async () =>
        {
            var rows = await db.RoleBindings.AsNoTracking()
                .Where(b => (b.SubjectKind == "User" && b.Subject.ToLower() == user) || (b.SubjectKind == "Group" && groupList.Contains(b.Subject)))
                .ToListAsync(ct);
            return [.. rows.Select(r => r.ToDomain())];
        });
    }

    async Task<IReadOnlyList<RoleBinding>> IRoleBindingReader.ForEnvironmentAsync(EnvironmentRef environment, CancellationToken ct)
    {
        var tier = environment.Tier.ToWire();
        var rows = await db.RoleBindings.AsNoTracking()
            .Where(b => b.ScopeKind == "All"
                || (b.ScopeKind == "Tier" && b.ScopeValue == tier)
                || (b.ScopeKind == "Environment" && b.ScopeValue == environment.Name))
            .ToListAsync(ct);
        return [.. rows.Select(r => r.ToDomain())];
    }

    async Task<IReadOnlyList<RoleBinding>> IRoleBindingReader.AllAsync(CancellationToken ct) =>
        [.. (await db.RoleBindings.AsNoTracking().ToListAsync(ct)).Select(r => r.ToDomain())];

    async Task<RoleBinding?> IRoleBindingRepository.FindAsync(Guid id, CancellationToken ct) =>
        (await db.RoleBindings.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, ct))?.ToDomain();

    void IRoleBindingRepository.Add(RoleBinding binding) => db.RoleBindings.Add(binding.ToEntity());

    void IRoleBindingRepository.Remove(RoleBinding binding) => db.RoleBindings.Remove(binding.ToEntity());

    async Task<AccessToken?> IAccessTokenRepository.FindByHashAsync(string hash, CancellationToken ct) =>
        (await db.AccessTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash, ct))?.ToDomain();

    async Task<AccessToken?> IAccessTokenRepository.FindAsync(Guid id, CancellationToken ct) =>
        (await db.AccessTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct))?.ToDomain();

    async Task<IReadOnlyList<AccessToken>> IAccessTokenRepository.ForUserAsync(string userName, CancellationToken ct)
    {
        var user = userName.ToLowerInvariant();
        return [.. (await db.AccessTokens.AsNoTracking().Where(t => t.UserName.ToLower() == user).ToListAsync(ct)).Select(t => t.ToDomain())];
    }

    void IAccessTokenRepository.Add(AccessToken token) => db.AccessTokens.Add(token.ToEntity());

    void IAccessTokenRepository.Revoke(AccessToken token, DateTimeOffset at) => SetTokenTime(token, at, revoked: true);

    void IAccessTokenRepository.Touch(AccessToken token, DateTimeOffset at) => SetTokenTime(token, at, revoked: false);

    private void SetTokenTime(AccessToken token, DateTimeOffset at, bool revoked)
    {
        var entity = token.ToEntity();
        db.AccessTokens.Attach(entity);
        if (revoked)
        {
            entity.RevokedAt = at;
        }
        else
        {
            entity.LastUsedAt = at;
        }
    }

    private static bool ReleaseIndex(DbUpdateException ex) =>
        ex.InnerException is Npgsql.PostgresException { ConstraintName: { } name } ? name.StartsWith("ux_releases", StringComparison.Ordinal)
        : ex.InnerException?.Message.Contains("releases.", StringComparison.Ordinal) == true;

    private static bool AlarmTriageKey(DbUpdateException ex) =>
        ex.InnerException is Npgsql.PostgresException { TableName: { } table } ? table == "alarm_triage"
        : ex.InnerException?.Message.Contains("alarm_triage.", StringComparison.Ordinal) == true;

    private static bool UniqueViolation(DbUpdateException ex) =>
        ex.InnerException is Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 1555 or 2067 }
        || ex.InnerException is Npgsql.PostgresException { SqlState: "23505" };
}
