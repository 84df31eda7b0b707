using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Environments;

namespace Portal.Core.Audit;

/// <summary>Reads the audit trail as the caller may see it: records of environments where they have audit.read,
/// and organisation-wide records (tokens, organisation grants) for administrators.</summary>
public sealed class AuditService(IAuditReader reader, IUnitOfWorkFactory units, TimeProvider clock)
{
    public const int MaxPageSize = 1000;

    public async Task<AuditPage> QueryAsync(PortalPrincipal who, AuditQuery query, CancellationToken ct)
    {
        if (!who.IsAuthenticated)
        {
            return new AuditPage([], 0);
        }

        IReadOnlyList<PortalEnvironment> all;
        IReadOnlyList<RoleBinding> mine;
        await using (var work = units.Begin())
        {
            all = await work.Environments.ListAsync(ct);
            mine = await work.Bindings.ForSubjectsAsync(who.UserName, who.Groups, ct);
        }

        var now = clock.GetUtcNow();
        var admin = AccessDecider.Decide(who, Permissions.AdminManage, null, mine, now).Allowed;
        var environments = admin
            ? null
            : all.Where(e => AccessDecider.Decide(who, Permissions.AuditRead, e.Ref, mine, now).Allowed).Select(e => e.Name).ToList();
        var bounded = query with { Skip = Math.Max(0, query.Skip), Take = Math.Clamp(query.Take, 1, MaxPageSize) };
        return await reader.QueryAsync(bounded, environments, admin, ct);
    }
}
