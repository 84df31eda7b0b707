namespace Portal.Core.Authorization;

/// <summary>Port: reads role bindings. Writes go through <see cref="Actions.IPortalUnitOfWork"/>.</summary>
public interface IRoleBindingReader
{
    /// <summary>The bindings whose subject is this user or one of these groups (active or expired).</summary>
    Task<IReadOnlyList<RoleBinding>> ForSubjectsAsync(string userName, IReadOnlySet<string> groups, CancellationToken ct);

    /// <summary>The bindings that can apply to an environment: on it, on its tier, or on all.</summary>
    Task<IReadOnlyList<RoleBinding>> ForEnvironmentAsync(Environments.EnvironmentRef environment, CancellationToken ct);

    Task<IReadOnlyList<RoleBinding>> AllAsync(CancellationToken ct);
}
