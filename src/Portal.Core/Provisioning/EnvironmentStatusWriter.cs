using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Environments;

namespace Portal.Core.Provisioning;

/// <summary>Reads an environment for a job and moves its status, retrying when its status moved meanwhile.</summary>
public sealed class EnvironmentStatusWriter(IUnitOfWorkFactory units, TimeProvider clock)
{
    public async Task<PortalEnvironment> GetAsync(string? name, CancellationToken ct)
    {
        await using var work = units.Begin();
        return await work.Environments.FindAsync(name ?? "", ct)
            ?? throw new Jobs.JobStepException($"Environment '{name}' no longer exists.");
    }

    /// <summary>
    /// The active bindings on the environment itself, which become its RoleBindings in the namespace; read only for
    /// the part that renders them.
    /// </summary>
    public async Task<IReadOnlyList<RoleBinding>> BindingsAsync(PortalEnvironment environment, string part, CancellationToken ct)
    {
        if (part != ProvisioningParts.RoleBindings)
        {
            return [];
        }

        await using var work = units.Begin();
        var now = clock.GetUtcNow();
        return [.. (await work.Bindings.ForEnvironmentAsync(environment.Ref, ct)).Where(b => b.Scope.Kind == BindingScopeKind.Environment && b.IsActive(now))];
    }

    public async Task<PortalEnvironment> SetAsync(string name, EnvironmentStatus status, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var work = units.Begin();
            var current = await work.Environments.FindAsync(name, ct) ?? throw new Jobs.JobStepException($"Environment '{name}' no longer exists.");

            // Destroyed and Rejected are final: a late job (a retried create, say) never brings an environment back.
            if (current.Status == status || current.IsGone)
            {
                return current;
            }

            work.Environments.SetStatus(name, current.Status, status);
            try
            {
                await work.CommitAsync(ct);
                return current with { Status = status };
            }
            catch (ConflictException) when (attempt < 5)
            {
                // Its status moved between our read and write (a person asked to destroy it, say): read again.
            }
        }
    }
}
