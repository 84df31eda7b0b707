using Microsoft.EntityFrameworkCore;
using Portal.Core.Identity;
using Portal.Infrastructure.Persistence.Entities;

namespace Portal.Infrastructure.Persistence.Stores;

public sealed class EfUserDirectory(IDbContextFactory<PortalDbContext> contexts, TimeProvider clock) : IUserDirectory
{
    public async Task<PortalUser?> FindAsync(string userName, CancellationToken ct)
    {
        var key = userName.ToLowerInvariant();
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == key, ct))?.ToDomain();
    }

    public async Task<IReadOnlyList<PortalUser>> ListAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return [.. (await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct)).Select(u => u.ToDomain())];
    }

    public async Task UpsertAsync(PortalUser user, CancellationToken ct)
    {
        var key = user.UserName.ToLowerInvariant();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Users.FirstOrDefaultAsync(u => u.UserName == key, ct);
        var now = clock.GetUtcNow();
        if (row is null)
        {
            row = new UserEntity { UserName = key, DisplayName = user.DisplayName, Source = user.Source, CreatedAt = now };
            db.Users.Add(row);
        }

        row.DisplayName = user.DisplayName;
        row.Email = user.Email;
        row.Groups = EntityMapping.WriteList(user.Groups.Order(StringComparer.Ordinal));
        row.LastSignInAt = now;
        await db.SaveChangesAsync(ct);
    }
}
