using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Validation;

namespace Portal.Core.Logs;

/// <summary>Saved searches: list what one may see, save (audited), delete one's own (audited).</summary>
public sealed class SavedSearchService(IUnitOfWorkFactory units, PortalActions actions, LogSearchService search, TimeProvider clock)
{
    public async Task<IReadOnlyList<SavedSearch>> ListAsync(PortalPrincipal who, CancellationToken ct)
    {
        if (!who.IsAuthenticated)
        {
            return [];
        }

        var readable = (await search.ReadableEnvironmentsAsync(who, ct)).Select(e => e.Name).ToList();
        await using var work = units.Begin();
        return await work.SavedSearches.VisibleAsync(who.UserName, readable, ct);
    }

    public async Task<ActionResult<SavedSearch>> SaveAsync(ActorContext actor, SaveSearchRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var errors = new ValidationErrors();
        if (Text.Required(request.Name, 100) is { } nameProblem)
        {
            errors.Add("name", nameProblem);
        }

        var state = request.State ?? new SavedSearchState();
        LogSearchService.ParseQuery(state.Query, state.Filters, errors);
        LogSearchService.ParseRange(state.From, state.To, now, errors);
        foreach (var column in state.Columns.Where(c => string.IsNullOrWhiteSpace(c) || c.Length > 200))
        {
            errors.Add("state.columns", $"'{column}' is not a field name");
        }

        var parameters = new Dictionary<string, object?> { ["name"] = request.Name, ["sharedWith"] = request.SharedWith, ["query"] = state.Query };
        var environment = request.SharedWith is { } shared ? await EnvironmentRefAsync(shared, ct) : null;
        if (request.SharedWith is not null && environment is null)
        {
            errors.Add("sharedWith", $"'{request.SharedWith}' is not an environment");
        }

        var action = new ActionRequest(Permissions.LogsRead, environment, request.Name, parameters)
        {
            Name = "logs.saved-search.save",
            AnyEnvironment = environment is null,
        };
        return await actions.RunAsync(actor, action, (work, _) =>
        {
            if (!errors.IsEmpty)
            {
                throw new ValidationFailedException(errors);
            }

            var saved = new SavedSearch(Guid.NewGuid(), request.Name!.Trim(), actor.Principal.UserName, request.SharedWith, state, now);
            work.SavedSearches.Add(saved);
            return Task.FromResult(saved);
        }, ct);
    }

    public async Task<ActionResult<SavedSearch>> DeleteAsync(ActorContext actor, Guid id, CancellationToken ct)
    {
        await using (var read = units.Begin())
        {
            var found = await read.SavedSearches.FindAsync(id, ct);
            var action = new ActionRequest(Permissions.LogsRead, null, id.ToString()) { Name = "logs.saved-search.delete", AnyEnvironment = true };
            if (found is null || !string.Equals(found.Owner, actor.Principal.UserName, StringComparison.OrdinalIgnoreCase))
            {
                // Someone else's search is not theirs to delete, nor to learn about.
                return await actions.NotFoundAsync<SavedSearch>(actor, action, $"Saved search {id}", ct);
            }

            return await actions.RunAsync(actor, action with { Target = found.Name }, (work, _) =>
            {
                work.SavedSearches.Remove(found);
                return Task.FromResult(found);
            }, ct);
        }
    }

    private async Task<Portal.Core.Environments.EnvironmentRef?> EnvironmentRefAsync(string name, CancellationToken ct)
    {
        await using var work = units.Begin();
        return (await work.Environments.FindAsync(name, ct)) is { IsGone: false } env ? env.Ref : null;
    }
}
