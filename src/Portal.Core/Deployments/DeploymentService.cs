using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Catalog;
using Portal.Core.Environments;
using Portal.Core.Jobs;
using Portal.Core.Provisioning;
using Portal.Core.Validation;

namespace Portal.Core.Deployments;

/// <summary>
/// Deploy, preview, roll back and promote, for the UI and the API alike. Every change goes through
/// <see cref="PortalActions"/> (authorized, audited) and is stored with its job in one transaction.
/// </summary>
public sealed class DeploymentService(
    IUnitOfWorkFactory units,
    PortalActions actions,
    IServiceDeployer deployer,
    IEnvironmentProvisioner provisioner,
    IJobDispatcher dispatcher,
    IOptions<EnvironmentPolicyOptions> policy,
    TimeProvider clock)
{
    /// <summary>The form's starting values: the service's last release in the environment, else the catalog's defaults.</summary>
    /// <remarks>Null when the service does not exist or <paramref name="who"/> may not see the environment (the last release's values are its).</remarks>
    public async Task<DeployRequest?> DefaultsAsync(PortalPrincipal who, string service, string environment, CancellationToken ct)
    {
        if (await VisibleAsync(who, environment, ct) is null)
        {
            return null;
        }

        await using var work = units.Begin();
        var definition = await work.Services.FindAsync(service, ct);
        if (definition is null)
        {
            return null;
        }

        var last = (await work.Releases.ListAsync(new ReleaseQuery { Service = service, Environment = environment, States = [ReleaseState.Succeeded], Take = 1 }, ct)).FirstOrDefault();
        return last is null
            ? new DeployRequest
            {
                Service = service,
                Replicas = definition.DefaultReplicas,
                Resources = definition.Resources,
                Env = definition.Env,
                Ingress = definition.IngressHostPattern is not null,
            }
            : new DeployRequest
            {
                Service = service,
                Version = last.Spec.Version,
                Replicas = last.Spec.Replicas,
                Resources = last.Spec.Resources,
                Env = last.Spec.Env,
                Ingress = last.Spec.IngressHost is not null,
            };
    }

    /// <summary>What a deploy would apply and how it differs from the cluster; nothing is changed or recorded.</summary>
    public async Task<ActionResult<DeployPreview>> PreviewAsync(ActorContext actor, string environment, DeployRequest request, CancellationToken ct)
    {
        var (env, denied) = await AuthorizeReadAsync<DeployPreview>(actor.Principal, Permissions.DeploymentsDeploy, environment, ct);
        if (env is null)
        {
            return denied!;
        }

        try
        {
            var (_, spec, quota) = await PlanAsync(env, request, ct);
            await using var work = units.Begin();
            // Rendered with the number the release would get, so the diff does not show a renumbering that will not happen.
            var manifests = deployer.Render(env, request.Service!, spec, await work.Releases.NextNumberAsync(request.Service!, env.Name, ct));
            var objects = Compare(await deployer.CompareAsync(env, request.Service!, manifests, ct));
            var running = await ReleaseStarter.RunningAsync(work, request.Service!, env.Name, null, ct);
            return new ActionResult<DeployPreview>.Ok(new DeployPreview(spec, manifests, objects, quota, running, env.RequireDeployApproval));
        }
        catch (ValidationFailedException ex)
        {
            return new ActionResult<DeployPreview>.Invalid(ex.Errors);
        }
        catch (DependencyUnavailableException ex)
        {
            return new ActionResult<DeployPreview>.Unavailable(ex.Message);
        }
    }

    public async Task<ActionResult<DeployOutcome>> DeployAsync(ActorContext actor, string environment, DeployRequest request, CancellationToken ct)
    {
        var env = await FindEnvironmentAsync(environment, ct);
        var action = new ActionRequest(Permissions.DeploymentsDeploy, env?.Ref, $"{request.Service}@{environment}", Parameters(request)) { Name = "deployments.deploy" };
        if (env is null)
        {
            return await actions.NotFoundAsync<DeployOutcome>(actor, action, $"Environment '{environment}'", ct);
        }

        return await SubmitAsync(actor, action, env, request.Queue, async (work, token) =>
        {
            var (_, spec, _) = await PlanAsync(env, request, token);
            var number = await work.Releases.NextNumberAsync(request.Service!, env.Name, token);
            return NewRelease(env, request.Service!, number, ReleaseKind.Deploy, null, spec, deployer.Render(env, request.Service!, spec, number), actor.Principal.UserName);
        }, ct);
    }

    /// <summary>A new release that re-applies an earlier release's manifests exactly as they were.</summary>
    public async Task<ActionResult<DeployOutcome>> RollbackAsync(ActorContext actor, string environment, Guid releaseId, bool queue, CancellationToken ct)
    {
        var env = await FindEnvironmentAsync(environment, ct);
        var action = new ActionRequest(Permissions.DeploymentsRollback, env?.Ref, releaseId.ToString(), new Dictionary<string, object?> { ["release"] = releaseId }) { Name = "deployments.rollback" };
        if (env is null)
        {
            return await actions.NotFoundAsync<DeployOutcome>(actor, action, $"Environment '{environment}'", ct);
        }

        return await SubmitAsync(actor, action, env, queue, async (work, token) =>
        {
            var target = await work.Releases.FindAsync(releaseId, token);
            if (target is null || target.Environment != env.Name)
            {
                throw new NotFoundException($"Release '{releaseId}' in {env.Name}");
            }

            if (target.Manifests.Count == 0)
            {
                throw new ConflictException($"Release #{target.Number} has no manifests to re-apply.");
            }

            var number = await work.Releases.NextNumberAsync(target.Service, env.Name, token);
            return NewRelease(env, target.Service, number, ReleaseKind.Rollback, target.Id, target.Spec, target.Manifests, actor.Principal.UserName);
        }, ct);
    }

    /// <summary>
    /// Deploys the release running in <paramref name="from"/> — the same image and parameters — to
    /// <paramref name="to"/>, or to the next stage when none is named (the environment of the next tier up; when
    /// that tier has several, the person must choose).
    /// </summary>
    public async Task<ActionResult<DeployOutcome>> PromoteAsync(ActorContext actor, string service, string from, string? to, bool queue, CancellationToken ct)
    {
        var source = await FindEnvironmentAsync(from, ct);
        var (target, problem) = source is null ? (null, null) : await NextStageAsync(actor.Principal, service, source, to, ct);
        var action = new ActionRequest(Permissions.DeploymentsDeploy, target?.Ref, $"{service}@{to ?? target?.Name}",
            new Dictionary<string, object?> { ["service"] = service, ["from"] = from, ["to"] = to ?? target?.Name }) { Name = "deployments.promote" };
        if (source is null || !(await actions.CheckAsync(actor.Principal, Permissions.DeploymentsRead, source.Ref, ct)).Allowed)
        {
            return await actions.NotFoundAsync<DeployOutcome>(actor, action, $"Environment '{from}'", ct);
        }

        if (problem is not null)
        {
            // No target to authorize on: decided on the source (where the person must at least see the release), refused as invalid.
            var errors = new ValidationErrors();
            errors.Add("to", problem);
            return await actions.RunAsync<DeployOutcome>(actor, action with { Permission = Permissions.DeploymentsRead, Environment = source.Ref },
                (_, _) => throw new ValidationFailedException(errors), ct);
        }

        if (target is null)
        {
            return await actions.NotFoundAsync<DeployOutcome>(actor, action, $"Environment '{to}'", ct);
        }

        return await SubmitAsync(actor, action, target, queue, async (work, token) =>
        {
            var current = (await work.Releases.ListAsync(new ReleaseQuery { Service = service, Environment = source.Name, States = [ReleaseState.Succeeded], Take = 1 }, token)).FirstOrDefault()
                ?? throw new ConflictException($"{service} has no successful release in {source.Name} to promote.");
            var definition = await work.Services.FindAsync(service, token) ?? throw new NotFoundException($"Service '{service}'");
            var spec = current.Spec with { IngressHost = current.Spec.IngressHost is null ? null : definition.IngressHostFor(target.Name) };
            await CheckQuotaAsync(target, service, spec, token);
            var number = await work.Releases.NextNumberAsync(service, target.Name, token);
            return NewRelease(target, service, number, ReleaseKind.Promotion, current.Id, spec, deployer.Render(target, service, spec, number), actor.Principal.UserName);
        }, ct);
    }

    /// <summary>Releases in an environment, newest first; null when the environment is not there for <paramref name="who"/>.</summary>
    public async Task<IReadOnlyList<Release>?> ListAsync(PortalPrincipal who, string environment, string? service, int take, CancellationToken ct)
    {
        if (await VisibleAsync(who, environment, ct) is null)
        {
            return null;
        }

        await using var work = units.Begin();
        return await work.Releases.ListAsync(new ReleaseQuery { Environment = environment, Service = service, Take = Math.Clamp(take, 1, 500) }, ct);
    }

    /// <summary>Every release of a service in the environments <paramref name="who"/> may see, newest first.</summary>
    public async Task<IReadOnlyList<Release>> HistoryAsync(PortalPrincipal who, string service, CancellationToken ct)
    {
        var visible = (await VisibleEnvironmentsAsync(who, ct)).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        await using var work = units.Begin();
        return [.. (await work.Releases.ListAsync(new ReleaseQuery { Service = service, Take = 500 }, ct)).Where(r => visible.Contains(r.Environment))];
    }

    public async Task<Release?> GetAsync(PortalPrincipal who, string environment, Guid id, CancellationToken ct)
    {
        if (await VisibleAsync(who, environment, ct) is null)
        {
            return null;
        }

        await using var work = units.Begin();
        var release = await work.Releases.FindAsync(id, ct);
        return release?.Environment == environment ? release : null;
    }

    /// <summary>The diff between two releases of the same environment or service, object by object.</summary>
    public async Task<ReleaseComparison?> CompareAsync(PortalPrincipal who, Guid from, Guid to, CancellationToken ct)
    {
        Release? a, b;
        await using (var work = units.Begin())
        {
            a = await work.Releases.FindAsync(from, ct);
            b = await work.Releases.FindAsync(to, ct);
        }

        if (a is null || b is null || await VisibleAsync(who, a.Environment, ct) is null || await VisibleAsync(who, b.Environment, ct) is null)
        {
            return null;
        }

        var keys = a.Manifests.Select(Key).Concat(b.Manifests.Select(Key)).Distinct().ToList();
        var objects = keys.Select(k =>
        {
            var before = a.Manifests.FirstOrDefault(m => Key(m) == k)?.Yaml ?? "";
            var after = b.Manifests.FirstOrDefault(m => Key(m) == k)?.Yaml ?? "";
            var change = before.Length == 0 ? ObjectChange.Create : after.Length == 0 ? ObjectChange.Delete : before == after ? ObjectChange.Unchanged : ObjectChange.Update;
            return new ObjectPreview(k.Kind, k.Name, change, TextDiff.Lines(before, after));
        }).ToList();
        return new ReleaseComparison(a, b, objects);

        static (string Kind, string Name) Key(PlannedObject o) => (o.Kind, o.Name);
    }

    /// <summary>The service's rollout in the cluster now (pods, replica counts), for the release page.</summary>
    public async Task<RolloutStatus?> LiveRolloutAsync(PortalPrincipal who, string environment, string service, CancellationToken ct)
    {
        var env = await VisibleAsync(who, environment, ct);
        return env is null ? null : await deployer.RolloutAsync(env, service, ct);
    }

    /// <summary>What runs in each environment <paramref name="who"/> may see; an unreachable cluster leaves its environments out of <c>Live</c> and names them.</summary>
    public async Task<ServiceMap> MapAsync(PortalPrincipal who, CancellationToken ct)
    {
        var environments = (await VisibleEnvironmentsAsync(who, ct)).Where(e => e.Status == EnvironmentStatus.Ready).ToList();
        var live = new Dictionary<string, IReadOnlyList<LiveService>>(StringComparer.Ordinal);
        var unreachable = new List<string>();
        await Task.WhenAll(environments.Select(async e =>
        {
            try
            {
                var services = await deployer.LiveAsync(e, ct);
                lock (live)
                {
                    live[e.Name] = services;
                }
            }
            catch (DependencyUnavailableException)
            {
                lock (unreachable)
                {
                    unreachable.Add(e.Name);
                }
            }
        }));
        IReadOnlyList<Release> latest;
        await using (var work = units.Begin())
        {
            latest = await work.Releases.ListAsync(new ReleaseQuery { Take = 2000 }, ct);
        }

        var visible = environments.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var releases = latest.Where(r => visible.Contains(r.Environment))
            .GroupBy(r => (r.Service, r.Environment))
            .ToDictionary(g => g.Key, g => g.First());
        return new ServiceMap(environments, live, releases, unreachable);
    }

    private async Task<ActionResult<DeployOutcome>> SubmitAsync(ActorContext actor, ActionRequest action, PortalEnvironment env, bool queue,
        Func<IPortalUnitOfWork, CancellationToken, Task<Release>> build, CancellationToken ct)
    {
        Guid? jobId = null;
        var result = await actions.RunAsync(actor, action, async (work, token) =>
        {
            var release = await build(work, token);
            (release, jobId) = await ReleaseStarter.PlaceAsync(work, env, release, queue, approved: false, policy.Value.ApprovalExpiryHours, clock.GetUtcNow(), token);
            work.Releases.Add(release);
            return new DeployOutcome(release, jobId);
        }, ct);
        if (result.Succeeded && jobId is { } id)
        {
            await JobDispatch.TryAsync(dispatcher, id);
        }

        return result;
    }

    /// <summary>The spec a request makes against the catalog, validated field by field, and its fit in the quota.</summary>
    private async Task<(ServiceDefinition Service, DeploySpec Spec, string Quota)> PlanAsync(PortalEnvironment env, DeployRequest request, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        ServiceDefinition? service = null;
        if (string.IsNullOrWhiteSpace(request.Service))
        {
            errors.Add("service", "is required");
        }
        else
        {
            await using var work = units.Begin();
            service = await work.Services.FindAsync(request.Service, ct);
            if (service is null)
            {
                errors.Add("service", $"'{request.Service}' is not in the catalog");
            }
        }

        if (service is null)
        {
            throw new ValidationFailedException(errors);
        }

        var version = request.Version?.Trim();
        var image = version is null or "" ? null : ImageReference.ForVersion(service.ImageRepository, version);
        if (image is null)
        {
            errors.Add("version", "is required (an image tag such as 1.4.2, or a digest sha256:…)");
        }
        else if (ImageReference.Parse(image, out _) is { } imageProblem)
        {
            errors.Add("version", $"'{version}' does not make a valid image reference: {image} {imageProblem}");
        }

        var replicas = request.Replicas ?? service.DefaultReplicas;
        WorkloadRules.Replicas(replicas, errors);
        var resources = request.Resources ?? service.Resources;
        WorkloadRules.Resources(resources, errors);
        var env2 = request.Env ?? service.Env;
        WorkloadRules.Env(env2, service.Secrets, errors);
        WorkloadRules.Ports(service.Ports, errors, "service.ports");
        string? host = null;
        if (request.Ingress ?? service.IngressHostPattern is not null)
        {
            host = service.IngressHostFor(env.Name);
            if (host is null)
            {
                errors.Add("ingress", $"{service.Name} has no ingress host pattern in the catalog; add one there, or deploy without an ingress");
            }
            else if (WorkloadRules.Host(host) is { } hostProblem)
            {
                errors.Add("ingress", $"the host {hostProblem}");
            }
        }

        if (!errors.IsEmpty)
        {
            throw new ValidationFailedException(errors);
        }

        var spec = new DeploySpec
        {
            Image = image!,
            Replicas = replicas,
            Resources = resources,
            Env = new SortedDictionary<string, string>(env2.ToDictionary(), StringComparer.Ordinal),
            Secrets = service.Secrets,
            Ports = service.Ports,
            HealthCheckPath = service.HealthCheckPath,
            IngressHost = host,
        };
        return (service, spec, await CheckQuotaAsync(env, service.Name, spec, ct));
    }

    /// <summary>Refuses, naming the field, a release that does not fit the quota; returns the summary when it does.</summary>
    private async Task<string> CheckQuotaAsync(PortalEnvironment env, string service, DeploySpec spec, CancellationToken ct)
    {
        if (!env.Quota.IsSet)
        {
            return "The environment has no quota.";
        }

        var used = await provisioner.UsageAsync(env, ct);
        var current = (await deployer.LiveAsync(env, ct)).FirstOrDefault(s => s.Service == service);
        var fit = QuotaFit.Check(env.Quota, used, current, spec);
        if (fit.Problem is not null)
        {
            var errors = new ValidationErrors();
            errors.Add("replicas", fit.Problem);
            throw new ValidationFailedException(errors);
        }

        return fit.Summary;
    }

    private async Task<(PortalEnvironment? Target, string? Problem)> NextStageAsync(PortalPrincipal who, string service, PortalEnvironment source, string? to, CancellationToken ct)
    {
        if (to is not null)
        {
            var named = await FindEnvironmentAsync(to, ct);
            return named is null ? (null, null)
                : named.Name == source.Name ? (null, "must be another environment than the one promoted from")
                : (named, null);
        }

        await using var work = units.Begin();
        var later = (await work.Environments.ListAsync(ct)).Where(e => !e.IsGone && e.Tier > source.Tier).ToList();
        if (later.Count == 0)
        {
            return (null, $"{source.Name} is the last stage ({source.Tier.ToWire()}); name the environment to promote to");
        }

        var tier = later.Min(e => e.Tier);
        var candidates = later.Where(e => e.Tier == tier).ToList();
        if (candidates.Count > 1)
        {
            var deployed = new List<PortalEnvironment>();
            foreach (var c in candidates)
            {
                if ((await work.Releases.ListAsync(new ReleaseQuery { Service = service, Environment = c.Name, Take = 1 }, ct)).Count > 0)
                {
                    deployed.Add(c);
                }
            }

            candidates = deployed.Count == 1 ? deployed : candidates;
        }

        return candidates.Count == 1
            ? (candidates[0], null)
            : (null, $"several {tier.ToWire()} environments follow {source.Name} ({string.Join(", ", candidates.Select(c => c.Name).Order(StringComparer.Ordinal))}); name one");
    }

    private static IReadOnlyList<ObjectPreview> Compare(IReadOnlyList<LiveComparison> comparisons) =>
        [.. comparisons.Select(c => new ObjectPreview(c.Kind, c.Name, c.Change, TextDiff.Lines(c.Live, c.Planned)))];

    private Release NewRelease(PortalEnvironment env, string service, int number, ReleaseKind kind, Guid? source, DeploySpec spec, IReadOnlyList<PlannedObject> manifests, string by) => new()
    {
        Id = Guid.NewGuid(),
        Service = service,
        Environment = env.Name,
        Number = number,
        Kind = kind,
        Source = source,
        Spec = spec,
        Manifests = manifests,
        RequestedBy = by,
        CreatedAt = clock.GetUtcNow(),
    };

    private async Task<(PortalEnvironment? Environment, ActionResult<T>? Denied)> AuthorizeReadAsync<T>(PortalPrincipal who, string permission, string environment, CancellationToken ct)
    {
        var env = await VisibleAsync(who, environment, ct);
        if (env is null)
        {
            return (null, new ActionResult<T>.NotFound($"Environment '{environment}'"));
        }

        var decision = await actions.CheckAsync(who, permission, env.Ref, ct);
        return decision.Allowed ? (env, null) : (null, new ActionResult<T>.Denied(decision));
    }

    private async Task<PortalEnvironment?> VisibleAsync(PortalPrincipal who, string environment, CancellationToken ct)
    {
        var env = await FindEnvironmentAsync(environment, ct);
        return env is not null && (await actions.CheckAsync(who, Permissions.DeploymentsRead, env.Ref, ct)).Allowed ? env : null;
    }

    private Task<IReadOnlyList<PortalEnvironment>> VisibleEnvironmentsAsync(PortalPrincipal who, CancellationToken ct) =>
        actions.AllowedEnvironmentsAsync(who, Permissions.DeploymentsRead, ct);

    private async Task<PortalEnvironment?> FindEnvironmentAsync(string name, CancellationToken ct)
    {
        await using var work = units.Begin();
        return await work.Environments.FindAsync(name, ct);
    }

    /// <summary>The audit record's parameters: env variable names, not values.</summary>
    private static Dictionary<string, object?> Parameters(DeployRequest request) => new()
    {
        ["service"] = request.Service,
        ["version"] = request.Version,
        ["replicas"] = request.Replicas,
        ["resources"] = request.Resources is { } r ? $"cpu {r.CpuRequest}/{r.CpuLimit}, memory {r.MemoryRequest}/{r.MemoryLimit}" : null,
        ["env"] = request.Env?.Keys.Order(StringComparer.Ordinal).ToList(),
        ["ingress"] = request.Ingress,
        ["queue"] = request.Queue,
    };
}

/// <summary>What runs where: per environment, the live services and the latest release of each service.</summary>
public sealed record ServiceMap(
    IReadOnlyList<PortalEnvironment> Environments,
    IReadOnlyDictionary<string, IReadOnlyList<LiveService>> Live,
    IReadOnlyDictionary<(string Service, string Environment), Release> Latest,
    IReadOnlyList<string> Unreachable);
