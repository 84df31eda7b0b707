using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Core.Actions;
using Portal.Core.Alarms;
using Portal.Core.Approvals;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Core.Jobs;
using Portal.Core.Logs;
using Portal.Core.Provisioning;
using Portal.Core.Tokens;
using Portal.Web.Tests.Features.Alarms;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Authorization;

/// <summary>
/// One app for the authorization sweeps (<see cref="SweepCollection"/> runs their classes one after another): the
/// Development seed's demo users, a signed-in session and a personal access token per user made once, an alarm in
/// the dev and in the prod environment (scripted AWS ports), and the arrange steps that give each case fresh objects
/// to act on, so that one case's destroy or revoke never takes another case's target away.
/// </summary>
public sealed class SweepFixture : IAsyncLifetime
{
    /// <summary>The demo users of appsettings.Development.json.</summary>
    public static readonly string[] DemoUsers = ["admin", "dev", "oncall", "manager", "viewer"];

    private readonly Dictionary<string, HttpClient> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private int _sequence;
    private IServiceScope? _scopeOwner;

    public SweepFixture()
    {
        App = new PortalAppFactory
        {
            ReplaceServices = s =>
            {
                s.AddSingleton<IAlarmSource>(Source);
                s.AddSingleton<IChangeTrail>(Source);
            },
        };
    }

    public PortalAppFactory App { get; }

    public ScriptedAlarmSource Source { get; } = new();

    public IServiceProvider Services => App.Services;

    /// <summary>A scope for the services a circuit resolves per user (scoped ones, such as WorkloadService), as a circuit has.</summary>
    public IServiceProvider Scope => (_scopeOwner ??= Services.CreateScope()).ServiceProvider;

    /// <summary>
    /// The role a demo user holds on an environment of the tier, as the seed binds them (null tier: organisation-wide,
    /// where only bindings on all environments count). The sweeps derive every expectation from this and
    /// <see cref="RoleDefinition.Allows"/>; <see cref="SeedBindingsTests"/> checks it against the seed itself.
    /// </summary>
    public static string? RoleOf(string user, EnvironmentTier? tier) => user switch
    {
        "admin" => Roles.PortalAdmin,
        "dev" => tier switch
        {
            EnvironmentTier.Dev or EnvironmentTier.Test => Roles.Developer,
            EnvironmentTier.Staging => Roles.Viewer,
            _ => null,
        },
        "oncall" => Roles.Operator,
        "manager" => Roles.Manager,
        "viewer" => Roles.Viewer,
        _ => null,
    };

    /// <summary>Whether the user may do <paramref name="permission"/> on an environment of the tier (null: organisation-wide).</summary>
    public static bool Allows(string user, string permission, EnvironmentTier? tier) =>
        Roles.Find(RoleOf(user, tier))?.Allows(permission, tier) ?? false;

    /// <summary>Whether some binding of the user allows the permission on some tier (the catalog's rule).</summary>
    public static bool AllowsAnywhere(string user, string permission) =>
        EnvironmentTiers.All.Any(t => Allows(user, permission, t));

    public static string AlarmName(EnvironmentTier tier) => $"{Seeded(tier)}/payments-api/sweep-5xx";

    /// <summary>The seeded environment of the tier (the seed has one per tier, named like it).</summary>
    public static string Seeded(EnvironmentTier tier) => tier.ToWire();

    public async Task InitializeAsync()
    {
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        foreach (var tier in new[] { EnvironmentTier.Dev, EnvironmentTier.Prod })
        {
            Source.Alarms[AlarmName(tier)] = TestAlarms.Metric(AlarmName(tier), AlarmState.Alarm, now.AddMinutes(-5));
        }

        await Services.GetRequiredService<IAlarmFeed>().RefreshAsync(CancellationToken.None);
        foreach (var user in DemoUsers)
        {
            _sessions[user] = await App.SignInAsync(user);
            _tokens[user] = (await CreateTokenAsync(user, null)).Value;
        }
    }

    public Task DisposeAsync()
    {
        foreach (var client in _sessions.Values)
        {
            client.Dispose();
        }

        _scopeOwner?.Dispose();
        App.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The user's signed-in cookie session (shared: cases only send requests on it).</summary>
    public HttpClient Session(string user) => _sessions[user];

    /// <summary>The value of the user's unscoped personal access token.</summary>
    public string Token(string user) => _tokens[user];

    /// <summary>An ingest token, made once when a test first needs one.</summary>
    public string? IngestToken { get; set; }

    public int Next() => Interlocked.Increment(ref _sequence);

    /// <summary>The environment <see cref="FreshEnvironmentAsync"/> made last (cases run one at a time in the collection).</summary>
    public string? LastFresh { get; set; }

    public async Task<PortalPrincipal> PrincipalOfAsync(string user)
    {
        var found = await Services.GetRequiredService<Portal.Core.Identity.IUserDirectory>().FindAsync(user, CancellationToken.None);
        return new PortalPrincipal(found!.UserName, found.DisplayName, found.Groups);
    }

    public async Task<ActorContext> ActorAsync(string user, string channel = "ui") =>
        new(await PrincipalOfAsync(user), channel, "127.0.0.1", Guid.NewGuid().ToString("N"));

    /// <summary>A personal access token of the user, made through the service as the user (signed in, not by token).</summary>
    public async Task<CreatedToken> CreateTokenAsync(string user, IReadOnlyList<string>? environments, int? expiresInDays = null)
    {
        var result = await Services.GetRequiredService<AccessTokenService>().CreateAsync(
            await ActorAsync(user), new CreateTokenRequest { Name = $"sweep-{Next()}", Environments = environments, ExpiresInDays = expiresInDays }, CancellationToken.None);
        return ((ActionResult<CreatedToken>.Ok)result).Value;
    }

    /// <summary>
    /// A fresh Ready environment of the tier, stored directly (creating one through the service would leave its create
    /// job or approval pending), with a Viewer binding on it to revoke.
    /// </summary>
    public async Task<(string Name, Guid BindingId)> FreshEnvironmentAsync(EnvironmentTier tier)
    {
        var name = $"sw-{tier.ToWire()}-{Next()}";
        LastFresh = name;
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var environment = EnvironmentValidator.Create(CreateRequest(name, tier), Services.GetRequiredService<IOptions<EnvironmentPolicyOptions>>().Value, "admin", now)
            with { Status = EnvironmentStatus.Ready };
        var binding = new RoleBinding(Guid.NewGuid(), SubjectKind.User, "someone", Roles.Viewer, BindingScope.ForEnvironment(name), null, "admin", now);
        await using var work = Services.GetRequiredService<IUnitOfWorkFactory>().Begin();
        work.Environments.Add(environment);
        work.Bindings.Add(binding);
        await work.CommitAsync(CancellationToken.None);
        return (name, binding.Id);
    }

    public static CreateEnvironmentRequest CreateRequest(string name, EnvironmentTier tier) => new()
    {
        Name = name, DisplayName = name, Tier = tier.ToWire(), OwningTeam = "sweep", CostCentre = "cc-1",
    };

    /// <summary>Someone else's pending request to destroy the environment: the caller would be the second person.</summary>
    public async Task<Guid> PendingApprovalAsync(string environment)
    {
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var approval = new ApprovalRequest
        {
            Id = Guid.NewGuid(), Environment = environment, Action = ApprovalAction.Destroy, RequestedBy = "someone",
            RequestedAt = now, ExpiresAt = now.AddHours(72), State = ApprovalState.Pending,
        };
        await using var work = Services.GetRequiredService<IUnitOfWorkFactory>().Begin();
        work.Approvals.Add(approval);
        await work.CommitAsync(CancellationToken.None);
        return approval.Id;
    }

    /// <summary>
    /// A job on the environment whose first step failed: retryable, and (as Running with a day-long back-off held by
    /// another worker) cancellable without the scheduler finishing it under the test.
    /// </summary>
    public async Task<Guid> JobAsync(string environment, bool cancellable)
    {
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var job = EnvironmentJobKinds.NewUpdate(environment, "someone", now);
        await using (var work = Services.GetRequiredService<IUnitOfWorkFactory>().Begin())
        {
            work.Jobs.Add(job);
            await work.CommitAsync(CancellationToken.None);
        }

        var store = Services.GetRequiredService<IJobStore>();
        var first = job.Steps[0] with { Attempts = 1, Error = "arranged failure", StartedAt = now, FinishedAt = now };
        if (cancellable)
        {
            await store.SaveStepAsync(job.Id, first with { State = StepState.Retrying, NextAttemptAt = now.AddDays(1) }, CancellationToken.None);
            await store.SaveJobAsync(job with { State = JobState.Running, StartedAt = now, Worker = "elsewhere" }, CancellationToken.None);
        }
        else
        {
            await store.SaveStepAsync(job.Id, first with { State = StepState.Failed }, CancellationToken.None);
            await store.SaveJobAsync(job with { State = JobState.Failed, StartedAt = now, FinishedAt = now, Error = "arranged failure" }, CancellationToken.None);
        }

        return job.Id;
    }

    /// <summary>A binding on all environments (for someone nobody signs in as), to revoke organisation-wide.</summary>
    public async Task<Guid> OrganisationBindingAsync()
    {
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var binding = new RoleBinding(Guid.NewGuid(), SubjectKind.User, $"someone-{Next()}", Roles.Viewer, BindingScope.Everywhere, null, "admin", now);
        await using var work = Services.GetRequiredService<IUnitOfWorkFactory>().Begin();
        work.Bindings.Add(binding);
        await work.CommitAsync(CancellationToken.None);
        return binding.Id;
    }

    /// <summary>A private saved search of the user, stored directly (saving through the service needs logs.read).</summary>
    public async Task<Guid> SavedSearchAsync(string user)
    {
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var saved = new SavedSearch(Guid.NewGuid(), $"sweep-{Next()}", user, null, new SavedSearchState { Query = "level:error" }, now);
        await using var work = Services.GetRequiredService<IUnitOfWorkFactory>().Begin();
        work.SavedSearches.Add(saved);
        await work.CommitAsync(CancellationToken.None);
        return saved.Id;
    }

    /// <summary>How many audit records name the user as actor.</summary>
    public async Task<int> AuditCountAsync(string user) => (await CallerRecordsAsync(user)).Count;

    /// <summary>The user's newest audit record of their own calls.</summary>
    public async Task<AuditRecord> LastAuditAsync(string user) => (await CallerRecordsAsync(user))[0];

    /// <summary>
    /// The user's records, newest first, less those of jobs working for them (channel <c>job</c>): the environments the
    /// fixture makes run their provisioning steps in the background, each step audited under the requester, at
    /// moments no test controls.
    /// </summary>
    private async Task<IReadOnlyList<AuditRecord>> CallerRecordsAsync(string user)
    {
        var page = await Services.GetRequiredService<IAuditReader>().QueryAsync(new AuditQuery { Actor = user, Take = 100_000 }, null, true, CancellationToken.None);
        return [.. page.Records.Where(r => r.Channel != "job")];
    }
}

[CollectionDefinition(Name)]
public sealed class SweepCollection : ICollectionFixture<SweepFixture>
{
    public const string Name = "authorization sweep";
}
