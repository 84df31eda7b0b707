namespace Portal.Core.Authorization;

/// <summary>
/// Who is acting: a signed-in user with their groups, or a personal access token acting for its user, then
/// limited to the environments the token was scoped to (<see cref="TokenEnvironments"/>; null means unscoped).
/// </summary>
public sealed record PortalPrincipal(string UserName, string DisplayName, IReadOnlySet<string> Groups, IReadOnlySet<string>? TokenEnvironments = null, bool ViaToken = false)
{
    public static PortalPrincipal Anonymous { get; } = new("", "Anonymous", new HashSet<string>());

    public bool IsAuthenticated => UserName.Length > 0;
}
