using Microsoft.AspNetCore.Components;
using Portal.Core.Authorization;
using Portal.Core.Identity;

namespace Portal.Web.Features.Admin;

/// <summary>For PortalAdmins: roles bound on a tier or everywhere (grant, revoke), and the people Portal knows,
/// each linked to their effective access.</summary>
public sealed partial class AdminPage
{
    public static readonly PortalFeature Feature = new(
        "admin", "Admin", "admin_panel_settings", "admin", 80,
        "Organisation-wide role bindings and the people Portal knows.");

    private static readonly IReadOnlyList<string> SubjectKinds = ["group", "user"];
    private static readonly IReadOnlyList<string> RoleNames = [.. Roles.All.Select(r => r.Name)];
    private static readonly IReadOnlyList<string> Scopes = ["all", .. EnvironmentTiers.All.Select(t => $"tier:{t.ToWire()}")];

    private (IReadOnlyList<RoleBinding> Bindings, IReadOnlyList<PortalUser> Users)? _organisation;
    private GrantForm _grant = NewGrant();
    private string _denied = "";
    private string? _message;

    [Inject]
    private AccessService Access { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _organisation = await Access.OrganisationAsync(await User.PrincipalAsync(), CancellationToken.None);
        _denied = AccessDecider.MissingRoleReason(Permissions.AdminManage, null);
    }

    private async Task GrantAsync()
    {
        var result = await Access.GrantOrganisationAsync(await User.ActorAsync(), _grant.ToRequest(), CancellationToken.None);
        _message = result.Succeeded ? null : result.Describe();
        if (result.Succeeded)
        {
            _grant = NewGrant();
            await LoadAsync();
        }
    }

    private async Task RevokeAsync(RoleBinding binding)
    {
        var result = await Access.RevokeOrganisationAsync(await User.ActorAsync(), binding.Id, CancellationToken.None);
        _message = result.Succeeded ? null : result.Describe();
        await LoadAsync();
    }

    private static GrantForm NewGrant() => new() { SubjectKind = "group", Role = Roles.Viewer, Scope = "all" };
}
