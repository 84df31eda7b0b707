using Portal.Core.Actions;
using Portal.Core.Authorization;

namespace Portal.Core.Catalog;

/// <summary>
/// The service catalog's use cases. Everyone signed in may read it (like Backstage's catalog); registering and
/// editing a service needs <see cref="Permissions.ServicesManage"/> on some environment. Every change is versioned.
/// </summary>
public sealed class CatalogService(IUnitOfWorkFactory units, PortalActions actions, TimeProvider clock)
{
    public async Task<IReadOnlyList<ServiceDefinition>> ListAsync(CancellationToken ct)
    {
        await using var work = units.Begin();
        return [.. (await work.Services.ListAsync(ct)).OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    public async Task<ServiceDefinition?> FindAsync(string name, CancellationToken ct)
    {
        await using var work = units.Begin();
        return await work.Services.FindAsync(name, ct);
    }

    public async Task<IReadOnlyList<ServiceRevision>> HistoryAsync(string name, CancellationToken ct)
    {
        await using var work = units.Begin();
        return await work.Services.RevisionsAsync(name, ct);
    }

    public async Task<bool> MayManageAsync(PortalPrincipal who, CancellationToken ct) =>
        (await actions.CheckAnywhereAsync(who, Permissions.ServicesManage, ct)).Allowed;

    public Task<ActionResult<ServiceDefinition>> CreateAsync(ActorContext actor, ServiceInput input, CancellationToken ct)
    {
        var request = new ActionRequest(Permissions.ServicesManage, null, input.Name, Parameters(input)) { Name = "services.create", AnyEnvironment = true };
        return actions.RunAsync(actor, request, async (work, token) =>
        {
            var now = clock.GetUtcNow();
            var service = ServiceValidator.Create(input, actor.Principal.UserName, now);
            if (await work.Services.FindAsync(service.Name, token) is not null)
            {
                throw new ConflictException($"A service named '{service.Name}' is already in the catalog.");
            }

            work.Services.Add(service, new ServiceRevision(service.Name, service.Version, service, actor.Principal.UserName, now, ["created"]));
            return service;
        }, ct);
    }

    public async Task<ActionResult<ServiceDefinition>> UpdateAsync(ActorContext actor, string name, ServiceInput input, CancellationToken ct)
    {
        var request = new ActionRequest(Permissions.ServicesManage, null, name, Parameters(input)) { Name = "services.update", AnyEnvironment = true };
        var current = await FindAsync(name, ct);
        if (current is null)
        {
            return await actions.NotFoundAsync<ServiceDefinition>(actor, request, $"Service '{name}'", ct);
        }

        return await actions.RunAsync(actor, request, (work, _) =>
        {
            if (input.ExpectedVersion is { } expected && expected != current.Version)
            {
                throw new ConflictException($"Service '{name}' was changed by {current.UpdatedBy} (version {current.Version}; you edited version {expected}); reload and try again.");
            }

            var now = clock.GetUtcNow();
            var changed = ServiceValidator.Update(current, input, actor.Principal.UserName, now);
            var fields = ServiceValidator.Changes(current, changed);
            if (fields.Count == 0)
            {
                return Task.FromResult(current);
            }

            work.Services.Update(changed, current.Version, new ServiceRevision(name, changed.Version, changed, actor.Principal.UserName, now, fields));
            return Task.FromResult(changed);
        }, ct);
    }

    /// <summary>What the audit trail keeps of a change: the fields, with plain env values left out (they may be sensitive).</summary>
    private static Dictionary<string, object?> Parameters(ServiceInput input) => new()
    {
        ["owningTeam"] = input.OwningTeam,
        ["imageRepository"] = input.ImageRepository,
        ["defaultReplicas"] = input.DefaultReplicas,
        ["ports"] = input.Ports?.Select(p => $"{p.Name}:{p.Port}/{p.Protocol}").ToList(),
        ["env"] = input.Env?.Keys.Order(StringComparer.Ordinal).ToList(),
        ["secrets"] = input.Secrets?.Select(s => $"{s.EnvName}<-{s.Secret}/{s.Key}").ToList(),
        ["ingressHostPattern"] = input.IngressHostPattern,
        ["expectedVersion"] = input.ExpectedVersion,
    };
}
