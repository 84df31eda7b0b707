using Microsoft.AspNetCore.Components;
using Portal.Core.Authorization;

namespace Portal.Web.Features.Environments;

/// <summary>Who may do what in the environment (with the binding that grants it), and granting or revoking roles.</summary>
public sealed partial class EnvironmentAccessPanel
{
    private static readonly IReadOnlyList<string> SubjectKinds = ["user", "group"];
    private static readonly IReadOnlyList<string> EnvironmentRoles = [.. Roles.All.Where(r => !r.OrganisationWide).Select(r => r.Name)];

    private IReadOnlyList<EffectiveGrant>? _grants;
    private GrantForm _grant = new();
    private string? _message;

    [Parameter, EditorRequired]
    public PortalEnvironment Environment { get; set; } = default!;

    [Inject]
    private AccessService Access { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync() =>
        _grants = await Access.ForEnvironmentAsync(await User.PrincipalAsync(), Environment.Name, CancellationToken.None);

    private async Task GrantAsync()
    {
        var result = await Access.GrantAsync(await User.ActorAsync(), Environment.Name, _grant.ToRequest(), CancellationToken.None);
        _message = result.Succeeded ? null : result.Describe();
        if (result.Succeeded)
        {
            Notifications.Notify(NotificationSeverity.Success, $"{_grant.Role} granted to {_grant.Subject}.");
            _grant = new GrantForm();
            await LoadAsync();
        }
    }

    private async Task RevokeAsync(RoleBinding binding)
    {
        var result = await Access.RevokeAsync(await User.ActorAsync(), Environment.Name, binding.Id, CancellationToken.None);
        if (result.Succeeded)
        {
            Notifications.Notify(NotificationSeverity.Success, $"{binding.Role} of {binding.Subject} revoked.");
            await LoadAsync();
        }
        else
        {
            Notifications.Notify(NotificationSeverity.Error, "Not revoked", result.Describe(), TimeSpan.FromSeconds(10));
        }
    }
}
