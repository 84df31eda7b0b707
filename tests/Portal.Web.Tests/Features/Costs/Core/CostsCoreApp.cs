using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Core.Actions;
using Portal.Core.Alarms;
using Portal.Core.Audit;
using Portal.Core.Authorization;
using Portal.Core.Costs;
using Portal.Core.Deployments;
using Portal.Core.Environments;
using Portal.Testing;
using Portal.Web.Tests.Features.Alarms;
using Portal.Web.Tests.Hosting;

namespace Portal.Web.Tests.Features.Costs.Core;

/// <summary>
/// The real app and its SQLite store (the real cost store and budgets), with the clusters, the deployer and the alarm
/// source scripted and a clock the test moves; the app's own sampling host is left out. Environments are stored directly,
/// Ready, on clusters of the test's own.
/// </summary>
public sealed class CostsCoreApp : IDisposable
{
    /// <summary>Two minutes into a 5-minute slot, so a slot boundary is never crossed by accident.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 2, 0, TimeSpan.Zero);

    public CostsCoreApp()
    {
        Factory = new PortalAppFactory
        {
            Clock = Clock,
            ReplaceServices = s =>
            {
                // The tests run the job themselves: a run the app starts by itself, at a moment of its own, would race them.
                foreach (var host in s.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "CostSamplingHost").ToList())
                {
                    s.Remove(host);
                }

                s.AddSingleton<ICostSnapshotSource>(Source);
                s.AddSingleton<IServiceDeployer>(Deployer);
                s.AddSingleton<IAlarmSource>(Alarms);
                s.AddSingleton<IChangeTrail>(Alarms);
            },
        };
    }

    public FakeClock Clock { get; } = new(Start);

    public ScriptedCostSource Source { get; } = new();

    public ScriptedDeployer Deployer { get; } = new();

    public ScriptedAlarmSource Alarms { get; } = new();

    public PortalAppFactory Factory { get; }

    public static PortalPrincipal Manager { get; } = new("manager", "Mona Manager", new HashSet<string> { "management" });

    public static PortalPrincipal Dev { get; } = new("dev", "Dev Eloper", new HashSet<string> { "developers" });

    public static PortalPrincipal Admin { get; } = new("admin", "Ada Admin", new HashSet<string> { "platform-admins" });

    /// <summary>Someone with no group: sees only what a test binds them to.</summary>
    public static PortalPrincipal Person(string name) => new(name, name, new HashSet<string>());

    public static ActorContext Acting(PortalPrincipal who) => new(who, "test", null, Guid.NewGuid().ToString("N"));

    public T Get<T>()
        where T : notnull => Factory.Services.GetRequiredService<T>();

    public async Task<PortalEnvironment> AddEnvironmentAsync(string name, EnvironmentTier tier, string cluster, string team = "alpha", decimal budget = 0,
        TimeSpan? age = null, DateTimeOffset? expiresAt = null)
    {
        var environment = new PortalEnvironment
        {
            Name = name,
            DisplayName = name,
            Tier = tier,
            Cluster = cluster,
            Namespace = name,
            OwningTeam = team,
            CostCentre = "cc-test",
            MonthlyBudget = budget,
            ExpiresAt = expiresAt,
            CreatedBy = "test",
            CreatedAt = Clock.GetUtcNow() - (age ?? TimeSpan.FromDays(30)),
            Status = EnvironmentStatus.Ready,
            Version = 1,
        };
        await using var work = Get<IUnitOfWorkFactory>().Begin();
        work.Environments.Add(environment);
        await work.CommitAsync(CancellationToken.None);
        return environment;
    }

    public async Task BindAsync(string user, string role, string environment)
    {
        await using var work = Get<IUnitOfWorkFactory>().Begin();
        work.Bindings.Add(new RoleBinding(Guid.NewGuid(), SubjectKind.User, user, role, BindingScope.ForEnvironment(environment), null, "test", Clock.GetUtcNow()));
        await work.CommitAsync(CancellationToken.None);
    }

    /// <summary>One slot of hand-made records, stored as the sampling job would.</summary>
    public Task<bool> RecordAsync(string cluster, DateTimeOffset slotStart, params CostRecord[] records) =>
        Get<ICostStore>().RecordSampleAsync(new CostSlot(cluster, slotStart, TimeSpan.FromMinutes(5), UsageSource.MetricsApi, slotStart.AddMinutes(5)), records, CancellationToken.None);

    public static CostRecord Pod(string cluster, DateTimeOffset hour, string ns, string name, string? service, decimal cpu, decimal memory,
        double cpuRequest = 0, double? cpuUsage = null) => new()
    {
        Hour = hour, Cluster = cluster, Subject = CostSubject.Pod, Namespace = ns, Name = name, Service = service, Detail = "node-1",
        Hours = 5 / 60d, CpuRequestCoreHours = cpuRequest, CpuUsageCoreHours = cpuUsage, CpuAllocatedCoreHours = Math.Max(cpuRequest, cpuUsage ?? 0),
        CpuCost = cpu, MemoryCost = memory,
    };

    public static CostRecord Other(string cluster, DateTimeOffset hour, CostSubject subject, string ns, string name, decimal cost) => new()
    {
        Hour = hour, Cluster = cluster, Subject = subject, Namespace = ns, Name = name, Hours = 5 / 60d, OtherCost = cost,
    };

    public async Task<IReadOnlyList<AuditRecord>> AuditAsync(string action) =>
        (await Get<IAuditReader>().QueryAsync(new AuditQuery { Action = action, Take = 200 }, null, true, CancellationToken.None)).Records;

    public void Dispose() => Factory.Dispose();
}

/// <summary>A class fixture: one <see cref="CostsCoreApp"/> for a test class, seeded once with what its tests share.</summary>
public abstract class SeededCostsApp : IAsyncLifetime
{
    public CostsCoreApp Costs { get; } = new();

    public Task InitializeAsync() => SeedAsync(Costs);

    public Task DisposeAsync()
    {
        Costs.Dispose();
        return Task.CompletedTask;
    }

    protected abstract Task SeedAsync(CostsCoreApp costs);
}
