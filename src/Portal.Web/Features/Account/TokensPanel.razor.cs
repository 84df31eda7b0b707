using Microsoft.AspNetCore.Components;
using Portal.Core.Tokens;

namespace Portal.Web.Features.Account;

/// <summary>Create (shown once), list and revoke your personal access tokens.</summary>
public sealed partial class TokensPanel
{
    private readonly TokenForm _form = new();
    private IReadOnlyList<AccessToken> _tokens = [];
    private IReadOnlyList<string> _environments = [];
    private string? _created;
    private string? _message;

    [Inject]
    private AccessTokenService Tokens { get; set; } = default!;

    [Inject]
    private EnvironmentService Environments { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var me = await User.PrincipalAsync();
        _environments = [.. (await Environments.ListAsync(me, CancellationToken.None)).Select(e => e.Name)];
        await LoadAsync();
    }

    private async Task LoadAsync() => _tokens = await Tokens.ListAsync(await User.PrincipalAsync(), CancellationToken.None);

    private async Task CreateAsync()
    {
        var request = new CreateTokenRequest { Name = _form.Name, Environments = _form.Environments?.ToList(), ExpiresInDays = _form.Days };
        var result = await Tokens.CreateAsync(await User.ActorAsync(), request, CancellationToken.None);
        _created = result is Core.Actions.ActionResult<CreatedToken>.Ok ok ? ok.Value.Value : null;
        _message = result.Succeeded ? null : result.Describe();
        await LoadAsync();
    }

    private async Task RevokeAsync(AccessToken token)
    {
        var result = await Tokens.RevokeAsync(await User.ActorAsync(), token.Id, CancellationToken.None);
        _message = result.Succeeded ? null : result.Describe();
        await LoadAsync();
    }

    private sealed class TokenForm
    {
        public string? Name { get; set; }

        public IEnumerable<string>? Environments { get; set; }

        public int Days { get; set; } = 30;
    }
}
