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

    private string _subject = "";
    private bool _allowed = true;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    /// <summary>A PortalAdmin may look at someone else's effective access: /profile?user=name.</summary>
    [SupplyParameterFromQuery(Name = "user")]
    private string? OtherUser { get; set; }

    private bool IsSelf => string.Equals(_subject, _me.UserName, StringComparison.OrdinalIgnoreCase);

    protected override async Task OnParametersSetAsync()
    {
        _me = await User.PrincipalAsync();
        _subject = string.IsNullOrWhiteSpace(OtherUser) ? _me.UserName : OtherUser.Trim();
        var access = await Access.ForUserAsync(_me, _subject, CancellationToken.None);
        _allowed = access is not null;
        _access = access ?? [];
    }
}
