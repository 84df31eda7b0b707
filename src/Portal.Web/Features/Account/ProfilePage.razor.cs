using Microsoft.AspNetCore.Components;
using Portal.Core.Authorization;

namespace Portal.Web.Features.Account;

/// <summary>Who you are, your tokens, and your effective access per environment with the binding behind each permission.</summary>
public sealed partial class ProfilePage
{
    private PortalPrincipal _me = PortalPrincipal.Anonymous;
    private IReadOnlyList<EffectiveEnvironmentAccess> _access = [];

    [Inject]
    private AccessService Access { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _me = await User.PrincipalAsync();
        _access = await Access.ForUserAsync(_me, _me.UserName, CancellationToken.None) ?? [];
    }
}
