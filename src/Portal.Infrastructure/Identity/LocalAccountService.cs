using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Identity;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Persistence.Entities;
using Portal.Infrastructure.Persistence.Stores;

namespace Portal.Infrastructure.Identity;

public enum PasswordCheck
{
    Succeeded,
    Failed,
    LockedOut,
}

/// <param name="KnownUser">Whether the name belongs to a local account (so it may be written down as typed).</param>
public sealed record PasswordCheckResult(PasswordCheck Outcome, PortalUser? User, DateTimeOffset? LockedUntil, bool KnownUser = true);

/// <summary>Password sign-in for local accounts, hashed with ASP.NET Core Identity's hasher, with lockout.</summary>
public sealed class LocalAccountService(IDbContextFactory<PortalDbContext> contexts, IOptions<LocalAccountOptions> options, TimeProvider clock)
{
    private static readonly PasswordHasher<UserEntity> Hasher = new();

    // Verified against when the account does not exist, so an unknown name takes as long as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(new UserEntity { UserName = "", DisplayName = "", Source = "local" }, Guid.NewGuid().ToString());

    public async Task<PasswordCheckResult> CheckAsync(string userName, string password, CancellationToken ct)
    {
        var key = userName.Trim().ToLowerInvariant();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == key && u.Source == "local", ct);
        var now = clock.GetUtcNow();
        if (user is null || user.PasswordHash is null || user.Disabled)
        {
            Hasher.VerifyHashedPassword(new UserEntity { UserName = "", DisplayName = "", Source = "local" }, DummyHash, password);
            return new PasswordCheckResult(PasswordCheck.Failed, null, null, KnownUser: user is not null);
        }

        if (user.LockoutUntil is { } until && until > now)
        {
            return new PasswordCheckResult(PasswordCheck.LockedOut, null, until);
        }

        var verdict = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            // Counted in the database, not read-modify-written, so parallel guesses each count.
            var max = options.Value.MaxFailedAttempts;
            var lockedUntil = now.AddMinutes(options.Value.LockoutMinutes);
            await db.Users.Where(u => u.UserName == key).ExecuteUpdateAsync(u => u.SetProperty(x => x.FailedAttempts, x => x.FailedAttempts + 1), ct);
            var locked = await db.Users.Where(u => u.UserName == key && u.FailedAttempts >= max)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.FailedAttempts, 0).SetProperty(x => x.LockoutUntil, lockedUntil), ct);
            return locked > 0
                ? new PasswordCheckResult(PasswordCheck.LockedOut, null, lockedUntil)
                : new PasswordCheckResult(PasswordCheck.Failed, null, null);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = Hasher.HashPassword(user, password);
        }

        user.FailedAttempts = 0;
        user.LockoutUntil = null;
        user.LastSignInAt = now;
        await db.SaveChangesAsync(ct);
        return new PasswordCheckResult(PasswordCheck.Succeeded, user.ToDomain(), null);
    }

    /// <summary>Creates the configured accounts that do not exist yet. Returns how many it created.</summary>
    public async Task<int> SeedAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var existing = (await db.Users.Select(u => u.UserName).ToListAsync(ct)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var created = 0;
        foreach (var account in options.Value.Accounts.Where(a => !existing.Contains(a.UserName)))
        {
            var entity = new UserEntity
            {
                UserName = account.UserName.ToLowerInvariant(),
                DisplayName = account.DisplayName,
                Email = account.Email,
                Groups = EntityMapping.WriteList(account.Groups),
                Source = "local",
                CreatedAt = clock.GetUtcNow(),
            };
            entity.PasswordHash = Hasher.HashPassword(entity, account.Password);
            db.Users.Add(entity);
            created++;
        }

        await db.SaveChangesAsync(ct);
        return created;
    }
}
