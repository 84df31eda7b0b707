using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Core.Validation;

namespace Portal.Core.Actions;

/// <summary>What an action is: its permission (also its audit action name), where, on what, with which inputs.</summary>
public sealed record ActionRequest(string Permission, EnvironmentRef? Environment, string? Target, IReadOnlyDictionary<string, object?>? Parameters = null)
{
    /// <summary>The audit trail's name for the action; defaults to the permission.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Only bindings on a tier or on everything count, not bindings on the environment itself: for what an
    /// environment's own Owner must not grant themselves (approving its creation, extending past the tier's maximum).
    /// </summary>
    public bool BeyondEnvironmentBindings { get; init; }

    /// <summary>Bindings this person granted do not count: a requester cannot make a friend the second pair of eyes.</summary>
    public string? IgnoreGrantsBy { get; init; }

    /// <summary>Decided on any binding anywhere (<see cref="AccessDecider.DecideAnywhere"/>): for the catalog.</summary>
    public bool AnyEnvironment { get; init; }
}

/// <summary>
/// The single path every state-changing action takes, from the UI, the API or the CLI: decide with
/// <see cref="AccessDecider"/>, run the body in one unit of work, and leave exactly one audit record, whatever
/// the outcome (succeeded, denied, invalid, failed).
/// </summary>
public sealed class PortalActions(IUnitOfWorkFactory units, TimeProvider clock)
{
    public async Task<ActionResult<T>> RunAsync<T>(ActorContext actor, ActionRequest request, Func<IPortalUnitOfWork, CancellationToken, Task<T>> body, CancellationToken ct)
    {
        AccessDecision decision;
        await using (var work = units.Begin())
        {
            decision = request.AnyEnvironment
                ? await DecideAnywhereAsync(work.Bindings, actor.Principal, request.Permission, ct)
                : await DecideAsync(work.Bindings, actor.Principal, request.Permission, request.Environment, ct, request.BeyondEnvironmentBindings, request.IgnoreGrantsBy);
            if (!decision.Allowed)
            {
                work.Audit(Record(actor, request, AuditOutcome.Denied, decision.Reason));
                await work.CommitAsync(ct);

                // Someone who may not even see the environment learns nothing about it, not even that it exists.
                if (request.Environment is { } environment && request.Permission != Permissions.EnvironmentsCreate
                    && !(await DecideAsync(work.Bindings, actor.Principal, Permissions.EnvironmentsRead, environment, ct)).Allowed)
                {
                    return new ActionResult<T>.NotFound($"Environment '{environment.Name}'");
                }

                return new ActionResult<T>.Denied(decision);
            }

            try
            {
                var value = await body(work, ct);
                work.Audit(Record(actor, request, AuditOutcome.Succeeded, decision.Reason));
                await work.CommitAsync(ct);
                return new ActionResult<T>.Ok(value);
            }
            catch (ValidationFailedException ex)
            {
                await RecordFailureAsync(actor, request, AuditOutcome.Invalid, ex.Errors.ToString(), ct);
                return new ActionResult<T>.Invalid(ex.Errors);
            }
            catch (NotFoundException ex)
            {
                await RecordFailureAsync(actor, request, AuditOutcome.Failed, ex.Message, ct);
                return new ActionResult<T>.NotFound(ex.What);
            }
            catch (ConflictException ex)
            {
                await RecordFailureAsync(actor, request, AuditOutcome.Failed, ex.Message, ct);
                return new ActionResult<T>.Conflict(ex.Message);
            }
            catch (DependencyUnavailableException ex)
            {
                await RecordFailureAsync(actor, request, AuditOutcome.Failed, ex.Message, ct);
                return new ActionResult<T>.Unavailable(ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Unexpected (a dependency failed, a bug): still exactly one record, then the caller's error handling.
                await RecordFailureAsync(actor, request, AuditOutcome.Failed, $"Failed unexpectedly ({ex.GetType().Name}).", ct);
                throw;
            }
        }
    }

    /// <summary>An attempt on something that does not exist: recorded as failed, answered as not found.</summary>
    public async Task<ActionResult<T>> NotFoundAsync<T>(ActorContext actor, ActionRequest request, string what, CancellationToken ct)
    {
        await RecordFailureAsync(actor, request, AuditOutcome.Failed, $"{what} was not found.", ct);
        return new ActionResult<T>.NotFound(what);
    }

    /// <summary>Answers a question without acting (to filter lists, or to show or hide a button).</summary>
    public async Task<AccessDecision> CheckAsync(PortalPrincipal who, string permission, EnvironmentRef? environment, CancellationToken ct, bool beyondEnvironmentBindings = false, string? ignoreGrantsBy = null)
    {
        await using var work = units.Begin();
        return await DecideAsync(work.Bindings, who, permission, environment, ct, beyondEnvironmentBindings, ignoreGrantsBy);
    }

    /// <summary>Whether <paramref name="who"/> may do what is decided anywhere (to show or hide a catalog button).</summary>
    public async Task<AccessDecision> CheckAnywhereAsync(PortalPrincipal who, string permission, CancellationToken ct)
    {
        await using var work = units.Begin();
        return await DecideAnywhereAsync(work.Bindings, who, permission, ct);
    }

    /// <summary>The environments, gone ones left out, where <paramref name="who"/> may do <paramref name="permission"/>, in tier order.</summary>
    public async Task<IReadOnlyList<PortalEnvironment>> AllowedEnvironmentsAsync(PortalPrincipal who, string permission, CancellationToken ct)
    {
        await using var work = units.Begin();
        var all = await work.Environments.ListAsync(ct);
        var mine = who.IsAuthenticated ? await work.Bindings.ForSubjectsAsync(who.UserName, who.Groups, ct) : [];
        var now = clock.GetUtcNow();
        return [.. all.Where(e => !e.IsGone && AccessDecider.Decide(who, permission, e.Ref, mine, now).Allowed)
            .OrderBy(e => e.Tier).ThenBy(e => e.Name, StringComparer.Ordinal)];
    }

    private async Task<AccessDecision> DecideAnywhereAsync(IRoleBindingReader bindings, PortalPrincipal who, string permission, CancellationToken ct) =>
        AccessDecider.DecideAnywhere(who, permission, who.IsAuthenticated ? await bindings.ForSubjectsAsync(who.UserName, who.Groups, ct) : [], clock.GetUtcNow());

    private async Task<AccessDecision> DecideAsync(IRoleBindingReader bindings, PortalPrincipal who, string permission, EnvironmentRef? environment, CancellationToken ct, bool beyondEnvironmentBindings = false, string? ignoreGrantsBy = null)
    {
        var mine = who.IsAuthenticated ? await bindings.ForSubjectsAsync(who.UserName, who.Groups, ct) : [];
        if (beyondEnvironmentBindings)
        {
            mine = [.. mine.Where(b => b.Scope.Kind != BindingScopeKind.Environment)];
        }

        if (ignoreGrantsBy is not null)
        {
            mine = [.. mine.Where(b => !string.Equals(b.CreatedBy, ignoreGrantsBy, StringComparison.OrdinalIgnoreCase))];
        }

        return AccessDecider.Decide(who, permission, environment, mine, clock.GetUtcNow());
    }

    /// <summary>
    /// The audit record of work Portal does on someone's behalf outside any request (a job's step): under their name,
    /// channel <c>job</c>, for the caller to commit with its own change. The work was authorized when the job was asked for.
    /// </summary>
    public AuditRecord JobRecord(string onBehalfOf, string? environment, string action, string target, IReadOnlyDictionary<string, object?> parameters,
        AuditOutcome outcome, string reason) =>
        new(Guid.NewGuid(), clock.GetUtcNow(), onBehalfOf, "job", null, environment, action, target,
            AuditParameters.Serialize(parameters), outcome, reason, Guid.NewGuid().ToString("N"));

    /// <summary>
    /// An action Portal takes by itself under a policy (an expired environment destroyed, an approval lapsing):
    /// no one to authorize, but audited like any other, under <paramref name="actor"/>.
    /// </summary>
    public async Task<T> RunAsSystemAsync<T>(string actor, ActionRequest request, Func<IPortalUnitOfWork, CancellationToken, Task<T>> body, CancellationToken ct)
    {
        await using var work = units.Begin();
        var value = await body(work, ct);
        var context = new ActorContext(new PortalPrincipal(actor, actor, new HashSet<string>()), "system", null, Guid.NewGuid().ToString("N"));
        work.Audit(Record(context, request, AuditOutcome.Succeeded, "Done by Portal under its policy."));
        await work.CommitAsync(ct);
        return value;
    }

    // The failed attempt's own changes are discarded with its unit of work; its record goes in a fresh one, and is
    // written even when the caller has gone away meanwhile.
    private async Task RecordFailureAsync(ActorContext actor, ActionRequest request, AuditOutcome outcome, string reason, CancellationToken _)
    {
        await using var work = units.Begin();
        work.Audit(Record(actor, request, outcome, reason));
        await work.CommitAsync(CancellationToken.None);
    }

    private AuditRecord Record(ActorContext actor, ActionRequest request, AuditOutcome outcome, string reason) => new(
        Guid.NewGuid(),
        clock.GetUtcNow(),
        actor.Principal.IsAuthenticated ? actor.Principal.UserName : "(anonymous)",
        actor.Channel,
        actor.ClientAddress,
        request.Environment?.Name,
        request.Name ?? request.Permission,
        request.Target,
        AuditParameters.Serialize(request.Parameters),
        outcome,
        reason,
        actor.CorrelationId);
}
