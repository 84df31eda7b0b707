namespace Portal.Core.Identity;

/// <summary>A person Portal knows: a local account, or a single sign-on user recorded at their last sign-in.</summary>
public sealed record PortalUser(string UserName, string DisplayName, string? Email, IReadOnlySet<string> Groups, string Source, bool Disabled);

/// <summary>Port: the people Portal knows.</summary>
public interface IUserDirectory
{
    Task<PortalUser?> FindAsync(string userName, CancellationToken ct);

    Task<IReadOnlyList<PortalUser>> ListAsync(CancellationToken ct);

    /// <summary>Records (or refreshes) a single sign-on user and their groups at sign-in.</summary>
    Task UpsertAsync(PortalUser user, CancellationToken ct);
}
