using System.Security.Cryptography;
using System.Text;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Identity;
using Portal.Core.Validation;

namespace Portal.Core.Tokens;

public sealed record CreateTokenRequest
{
    public string? Name { get; init; }

    /// <summary>Environments the token may act on; null or empty: every environment its user may act on.</summary>
    public IReadOnlyList<string>? Environments { get; init; }

    /// <summary>Days until it expires (1-365); null takes 30.</summary>
    public int? ExpiresInDays { get; init; }
}

/// <summary>The token's value, returned exactly once, with its stored description.</summary>
public sealed record CreatedToken(string Value, AccessToken Token);

/// <summary>Personal access tokens: create (shown once), list, revoke, and authenticate a bearer token.</summary>
public sealed class AccessTokenService(IUnitOfWorkFactory units, PortalActions actions, IUserDirectory users, TimeProvider clock)
{
    public const string ValuePrefix = "ptl_";

    /// <summary>Ingest tokens look different, so a leaked one is recognisable and can never pass as a personal one.</summary>
    public const string IngestPrefix = "pti_";
    public const int IngestDefaultDays = 365;
    public const int DefaultDays = 30;
    public const int MaxDays = 365;

    public Task<ActionResult<CreatedToken>> CreateAsync(ActorContext actor, CreateTokenRequest request, CancellationToken ct)
    {
        var parameters = new Dictionary<string, object?> { ["name"] = request.Name, ["environments"] = request.Environments, ["expiresInDays"] = request.ExpiresInDays };
        var action = new ActionRequest(Permissions.OwnAccount, null, request.Name, parameters) { Name = "tokens.create" };
        return actions.RunAsync(actor, action, async (work, token) =>
        {
            var errors = new ValidationErrors();
            if (Text.Required(request.Name, 100) is { } nameProblem)
            {
                errors.Add("name", nameProblem);
            }

            var days = request.ExpiresInDays ?? DefaultDays;
            if (days is < 1 or > MaxDays)
            {
                errors.Add("expiresInDays", $"must be between 1 and {MaxDays} (got {days})");
            }

            var scope = request.Environments is { Count: > 0 } list ? list.Distinct(StringComparer.Ordinal).ToList() : null;
            foreach (var name in scope ?? [])
            {
                if (await work.Environments.FindAsync(name, token) is null)
                {
                    errors.Add("environments", $"'{name}' is not an environment");
                }
            }

            if (!errors.IsEmpty)
            {
                throw new ValidationFailedException(errors);
            }

            var value = ValuePrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var now = clock.GetUtcNow();
            var created = new AccessToken(Guid.NewGuid(), actor.Principal.UserName, request.Name!.Trim(), Hash(value), value[..(ValuePrefix.Length + 6)],
                scope, now, now.AddDays(days), null, null);
            work.Tokens.Add(created);
            return new CreatedToken(value, created);
        }, ct);
    }

    public async Task<IReadOnlyList<AccessToken>> ListAsync(PortalPrincipal who, CancellationToken ct)
    {
        await using var work = units.Begin();
        return who.IsAuthenticated ? [.. (await work.Tokens.ForUserAsync(who.UserName, ct)).OrderByDescending(t => t.CreatedAt)] : [];
    }

    public Task<ActionResult<AccessToken>> RevokeAsync(ActorContext actor, Guid id, CancellationToken ct)
    {
        var action = new ActionRequest(Permissions.OwnAccount, null, id.ToString()) { Name = "tokens.revoke" };
        return actions.RunAsync(actor, action, async (work, token) =>
        {
            var found = await work.Tokens.FindAsync(id, token);
            if (found is null || !string.Equals(found.UserName, actor.Principal.UserName, StringComparison.OrdinalIgnoreCase))
            {
                throw new NotFoundException($"Token {id}");
            }

            if (found.RevokedAt is not null)
            {
                throw new ConflictException($"Token '{found.Name}' is already revoked.");
            }

            work.Tokens.Revoke(found, clock.GetUtcNow());
            return found;
        }, ct);
    }

    /// <summary>The principal a bearer token acts as, or null when it is unknown, revoked, expired or its user is gone.</summary>
    public async Task<PortalPrincipal?> AuthenticateAsync(string value, CancellationToken ct)
    {
        if (!value.StartsWith(ValuePrefix, StringComparison.Ordinal) || value.Length > 200)
        {
            return null;
        }

        await using var work = units.Begin();
        var token = await work.Tokens.FindByHashAsync(Hash(value), ct);
        var now = clock.GetUtcNow();
        if (token is null || token.Kind != TokenKind.Personal || !token.IsUsable(now) || await users.FindAsync(token.UserName, ct) is not { Disabled: false } user)
        {
            return null;
        }

        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            work.Tokens.Touch(token, now);
            await work.CommitAsync(ct);
        }

        return new PortalPrincipal(user.UserName, user.DisplayName, user.Groups,
            token.Environments is { Count: > 0 } scoped ? scoped.ToHashSet(StringComparer.Ordinal) : null, ViaToken: true);
    }

    /// <summary>
    /// An ingest token for a log shipper, made from the command line by <paramref name="actor"/> (audited): it may
    /// only append to <c>/ingest/_bulk</c>. Shippers run for months, so it lasts a year unless told otherwise.
    /// </summary>
    public async Task<ActionResult<CreatedToken>> CreateIngestAsync(ActorContext actor, string? name, int? expiresInDays, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (Text.Required(name, 100) is { } nameProblem)
        {
            errors.Add("name", nameProblem);
        }

        var days = expiresInDays ?? IngestDefaultDays;
        if (days is < 1 or > MaxDays)
        {
            errors.Add("expiresInDays", $"must be between 1 and {MaxDays} (got {days})");
        }

        if (!errors.IsEmpty)
        {
            return new ActionResult<CreatedToken>.Invalid(errors);
        }

        var parameters = new Dictionary<string, object?> { ["name"] = name, ["expiresInDays"] = days, ["kind"] = nameof(TokenKind.Ingest) };
        var action = new ActionRequest(Permissions.AdminManage, null, name, parameters) { Name = "tokens.create-ingest" };
        Task<CreatedToken> CreateAsync(IPortalUnitOfWork work, CancellationToken _)
        {
            var value = IngestPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var now = clock.GetUtcNow();
            var token = new AccessToken(Guid.NewGuid(), actor.Principal.UserName, name!.Trim(), Hash(value), value[..(IngestPrefix.Length + 6)],
                null, now, now.AddDays(days), null, null, TokenKind.Ingest);
            work.Tokens.Add(token);
            return Task.FromResult(new CreatedToken(value, token));
        }

        // The command line is trusted (it runs on the host); from anywhere else (a page's handler) minting a credential
        // that writes into every environment's logs is organisation administration, decided and audited as such.
        return actor.Channel == ActorContext.CliChannel
            ? new ActionResult<CreatedToken>.Ok(await actions.RunAsSystemAsync(actor.Principal.UserName, action, CreateAsync, ct))
            : await actions.RunAsync(actor, action, CreateAsync, ct);
    }

    /// <summary>The ingest token's name when <paramref name="value"/> is a usable ingest token; null otherwise.</summary>
    public async Task<string?> AuthenticateIngestAsync(string value, CancellationToken ct)
    {
        if (!value.StartsWith(IngestPrefix, StringComparison.Ordinal) || value.Length > 200)
        {
            return null;
        }

        await using var work = units.Begin();
        var token = await work.Tokens.FindByHashAsync(Hash(value), ct);
        var now = clock.GetUtcNow();
        if (token is null || token.Kind != TokenKind.Ingest || !token.IsUsable(now))
        {
            return null;
        }

        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            work.Tokens.Touch(token, now);
            await work.CommitAsync(ct);
        }

        return token.Name;
    }

    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
