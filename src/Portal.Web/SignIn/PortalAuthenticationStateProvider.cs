using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Identity;
using Portal.Infrastructure.Persistence.Availability;

namespace Portal.Web.SignIn;

/// <summary>
/// Re-checks an open tab's user every <see cref="SignInOptions.RevalidateSeconds"/>: a disabled or deleted user is
/// signed out of the circuit, and a change to their role bindings re-renders everything that asked for access, so
/// a revoked role stops working in an open tab within that interval (the server checks every action anyway).
/// </summary>
public sealed class PortalAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<SignInOptions> _options;
    private readonly Portal.Core.Authorization.AccessChanges _changes;
    private readonly DatabaseAvailability _database;
    private string? _bindingsFingerprint;

    public PortalAuthenticationStateProvider(
        ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<SignInOptions> options, Portal.Core.Authorization.AccessChanges changes,
        DatabaseAvailability database)
        : base(loggerFactory)
    {
        _scopes = scopes;
        _options = options;
        _changes = changes;
        _database = database;
        _changes.Changed += OnAccessChanged;
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(_options.Value.RevalidateSeconds);

    protected override void Dispose(bool disposing)
    {
        _changes.Changed -= OnAccessChanged;
        base.Dispose(disposing);
    }

    // A binding changed in this process: everything that asked for access asks again now.
    private void OnAccessChanged() => _ = Task.Run(async () =>
    {
        try
        {
            NotifyAuthenticationStateChanged(Task.FromResult(await GetAuthenticationStateAsync()));
        }
        catch (InvalidOperationException)
        {
            // The circuit has no authentication state yet (still starting): its first re-check will catch up.
        }
    });

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var principal = authenticationState.User.ToPortalPrincipal();

        // Not signed in, or the database known to be away (SessionRevalidation's rule): keep the tab as it is
        // without waiting out a connection timeout, and check again next interval.
        if (!principal.IsAuthenticated || !_database.IsAvailable)
        {
            return true;
        }

        try
        {
            return await RevalidateAsync(authenticationState, principal, cancellationToken);
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            // The database is away: keep the tab signed in and check again next interval (see SessionRevalidation);
            // throwing would end this circuit's re-checks for good.
            return true;
        }
    }

    private async Task<bool> RevalidateAsync(AuthenticationState authenticationState, Portal.Core.Authorization.PortalPrincipal principal, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<IUserDirectory>().FindAsync(principal.UserName, cancellationToken);
        if (user is null || user.Disabled)
        {
            return false;
        }

        await using var work = scope.ServiceProvider.GetRequiredService<IUnitOfWorkFactory>().Begin();
        var bindings = await work.Bindings.ForSubjectsAsync(principal.UserName, principal.Groups, cancellationToken);
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var fingerprint = string.Join(',', bindings.Where(b => b.IsActive(now)).Select(b => b.Id).Order());
        // The first check cannot know what the page was rendered with, so it always refreshes once.
        if (fingerprint != _bindingsFingerprint)
        {
            NotifyAuthenticationStateChanged(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(authenticationState.User.Identities))));
        }

        _bindingsFingerprint = fingerprint;
        return true;
    }
}
