using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;

namespace Portal.Infrastructure.Persistence.Stores;

public sealed class EfAuditReader(IDbContextFactory<PortalDbContext> contexts) : IAuditReader
{
    public async Task<AuditPage> QueryAsync(AuditQuery query, IReadOnlyCollection<string>? environments, bool includeOrganisationWide, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var records = db.AuditRecords.AsNoTracking();
        if (environments is not null)
        {
            var visible = environments.ToList();
            records = includeOrganisationWide
                ? records.Where(r => r.Environment == null || visible.Contains(r.Environment))
                : records.Where(r => r.Environment != null && visible.Contains(r.Environment));
        }
        else if (!includeOrganisationWide)
        {
            records = records.Where(r => r.Environment != null);
        }

        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            var actor = query.Actor.ToLowerInvariant();
            records = records.Where(r => r.Actor.ToLower() == actor);
        }

        if (!string.IsNullOrWhiteSpace(query.Environment))
        {
            records = records.Where(r => r.Environment == query.Environment);
        }

        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            records = records.Where(r => r.Action.StartsWith(query.Action));
        }

        if (query.Outcome is { } outcome)
        {
            var text = outcome.ToString();
            records = records.Where(r => r.Outcome == text);
        }

        if (query.From is { } from)
        {
            records = records.Where(r => r.At >= from);
        }

        if (query.To is { } to)
        {
            records = records.Where(r => r.At < to);
        }

        var total = await records.CountAsync(ct);
        var page = await records.OrderByDescending(r => r.At).ThenBy(r => r.Id).Skip(query.Skip).Take(query.Take).ToListAsync(ct);
        return new AuditPage([.. page.Select(r => r.ToDomain())], total);
    }
}
