using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Environments;
using Portal.Infrastructure.Identity;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Persistence.Entities;
using Portal.Infrastructure.Persistence.Stores;

namespace Portal.Infrastructure.Seeding;

/// <summary>
/// Inserts the configured demo environments, local accounts and role bindings that are missing.
/// Idempotent: never updates or deletes, so what users change stays changed.
/// </summary>
public sealed class DemoDataSeeder(
    IDbContextFactory<PortalDbContext> contexts,
    IOptions<SeedOptions> options,
    IOptions<EnvironmentPolicyOptions> policy,
    LocalAccountService accounts,
    TimeProvider clock)
{
    public async Task<int> SeedAsync(CancellationToken ct)
    {
        var added = await accounts.SeedAsync(ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();

        var existing = (await db.Environments.Select(e => e.Name).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var env in options.Value.Environments.Where(w => !existing.Contains(w.Name)))
        {
            db.Environments.Add(new EnvironmentEntity
            {
                Name = env.Name,
                DisplayName = env.DisplayName,
                Tier = env.Tier,
                CreatedAt = now,
                Cluster = policy.Value.DefaultCluster,
                Namespace = env.Name,
                OwningTeam = env.OwningTeam,
                CostCentre = env.CostCentre,
                MonthlyBudget = env.MonthlyBudget,
                CreatedBy = "seed",
                Status = nameof(EnvironmentStatus.Ready),
                RequireDeployApproval = EnvironmentTiers.TryParse(env.Tier, out var tier) && tier.IsProtected(),
            });
            added++;
        }

        var services = (await db.Services.Select(x => x.Name).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var seed in options.Value.Services.Where(x => !services.Contains(x.Name)))
        {
            // Validated like a person's input: a bad seed fails start-up with the field named.
            var service = Portal.Core.Catalog.ServiceValidator.Create(seed.ToInput(), "seed", now);
            db.Services.Add(service.ToEntity());
            db.ServiceRevisions.Add(new Portal.Core.Catalog.ServiceRevision(service.Name, service.Version, service, "seed", now, ["created"]).ToEntity());
            added++;
        }

        var bindings = await db.RoleBindings.AsNoTracking().ToListAsync(ct);
        foreach (var seed in options.Value.RoleBindings)
        {
            var binding = SeedOptionsValidator.ToBinding(seed, now);
            var duplicate = bindings.Any(b => b.SubjectKind == binding.SubjectKind.ToString()
                && string.Equals(b.Subject, binding.Subject, StringComparison.OrdinalIgnoreCase)
                && b.Role == binding.Role && b.ScopeKind == binding.Scope.Kind.ToString() && b.ScopeValue == binding.Scope.Value);
            if (!duplicate)
            {
                var entity = binding.ToEntity();
                db.RoleBindings.Add(entity);
                bindings.Add(entity);
                added++;
            }
        }

        await db.SaveChangesAsync(ct);
        return added;
    }
}
