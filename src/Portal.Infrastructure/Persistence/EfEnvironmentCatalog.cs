using Microsoft.EntityFrameworkCore;
using Portal.Core.Environments;

namespace Portal.Infrastructure.Persistence;

/// <summary>Adapter: <see cref="IEnvironmentCatalog"/> over Portal's own database.</summary>
public sealed class EfEnvironmentCatalog(IDbContextFactory<PortalDbContext> contexts) : IEnvironmentCatalog
{
    public async Task<IReadOnlyList<EnvironmentSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Environments.AsNoTracking()
            .Select(e => new { e.Name, e.DisplayName, e.Tier })
            .ToListAsync(cancellationToken);

        return [.. rows
            .Select(r => new EnvironmentSummary(r.Name, r.DisplayName, EnvironmentTiers.TryParse(r.Tier, out var t) ? t : EnvironmentTier.Dev))
            .OrderBy(e => e.Tier)
            .ThenBy(e => e.Name, StringComparer.Ordinal)];
    }
}
