using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Persistence.Entities;

namespace Portal.Infrastructure.Seeding;

/// <summary>Inserts the configured demo environments that are missing. Idempotent: never updates or deletes.</summary>
public sealed class DemoDataSeeder(IDbContextFactory<PortalDbContext> contexts, IOptions<SeedOptions> options, TimeProvider clock)
{
    public async Task<int> SeedAsync(CancellationToken ct)
    {
        var wanted = options.Value.Environments;
        if (wanted.Count == 0)
        {
            return 0;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var existing = await db.Environments.Select(e => e.Name).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var added = 0;
        foreach (var env in wanted.Where(w => !existing.Contains(w.Name)))
        {
            db.Environments.Add(new EnvironmentEntity { Name = env.Name, DisplayName = env.DisplayName, Tier = env.Tier, CreatedAt = now });
            added++;
        }

        await db.SaveChangesAsync(ct);
        return added;
    }
}
