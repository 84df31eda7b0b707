using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Core.Actions;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Core.Jobs;
using Portal.Core.Provisioning;
using Portal.Infrastructure.Jobs;

namespace Portal.Infrastructure.Tests.Jobs;

/// <summary>
/// A Portal replica without the web: the real database, migrations and job engine (Quartz on SQLite or clustered
/// on PostgreSQL), running the test's job kind. Several of these on one database are several replicas.
/// </summary>
internal sealed class JobEngineReplica : IAsyncDisposable
{
    private readonly IHost _host;

    private JobEngineReplica(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<JobEngineReplica> StartAsync(Dictionary<string, string?> settings, StepScript script)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddPortalDatabase();
        builder.AddPortalJobs();
        builder.Services.AddSingleton(script);
        builder.Services.AddSingleton<IJobDefinition, ScriptedJob>();

        // The environment jobs Core registers need the port; the test's jobs never call it.
        builder.Services.AddSingleton<IEnvironmentProvisioner, UnusedProvisioner>();
        builder.Services.AddSingleton<Portal.Core.Deployments.IServiceDeployer, UnusedDeployer>();
        var host = builder.Build();
        await host.StartAsync();
        return new JobEngineReplica(host);
    }

    public async Task<string> InstanceIdAsync() => (await Services.GetRequiredService<JobEngineHost>().SchedulerAsync(CancellationToken.None)).SchedulerInstanceId;

    /// <summary>Commits a job of the scripted kind, as an action would, and hands it to this replica's scheduler.</summary>
    public async Task<Guid> SubmitAsync(params string[] steps)
    {
        // One environment per job: Portal runs one unfinished job per environment at a time.
        var job = PortalJob.New(ScriptedJob.KindName, $"env-{Guid.NewGuid():N}"[..12], "alice", DateTimeOffset.UtcNow, steps);
        await using (var work = Services.GetRequiredService<IUnitOfWorkFactory>().Begin())
        {
            work.Jobs.Add(job);
            await work.CommitAsync(CancellationToken.None);
        }

        await Services.GetRequiredService<IJobDispatcher>().DispatchAsync(job.Id, null, CancellationToken.None);
        return job.Id;
    }

    public Task<PortalJob?> FindAsync(Guid id) => Services.GetRequiredService<IJobStore>().FindAsync(id, CancellationToken.None);

    public async Task<PortalJob> WaitAsync(Guid id, Func<PortalJob, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var job = await FindAsync(id) ?? throw new InvalidOperationException($"job {id} is not stored");
            if (until(job))
            {
                return job;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"job {id} is {job.State} at step {job.CurrentStep?.Name} ({job.CurrentStep?.State}, attempts {job.CurrentStep?.Attempts}); error: {job.Error ?? job.CurrentStep?.Error}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Stops the replica without letting its running steps finish: what a replica's end looks like to the others.</summary>
    public async Task StopAsync() => await _host.StopAsync(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            _host.Dispose();
        }
    }

    private sealed class UnusedProvisioner : IEnvironmentProvisioner
    {
        public IReadOnlyList<PlannedObject> Plan(PortalEnvironment environment, IReadOnlyList<RoleBinding> bindings, string? part = null) => throw new NotSupportedException();

        public Task ApplyAsync(PortalEnvironment environment, string part, IReadOnlyList<RoleBinding> bindings, Func<string, Task> log, CancellationToken ct) => throw new NotSupportedException();

        public Task DeleteAsync(PortalEnvironment environment, string part, Func<string, Task> log, CancellationToken ct) => throw new NotSupportedException();

        public Task<ResourceUsage> UsageAsync(PortalEnvironment environment, CancellationToken ct) => throw new NotSupportedException();
    }

    /// <summary>The engine's tests run scripted jobs only; the deploy job is registered but never runs here.</summary>
    private sealed class UnusedDeployer : Portal.Core.Deployments.IServiceDeployer
    {
        public IReadOnlyList<PlannedObject> Render(PortalEnvironment environment, string service, Portal.Core.Deployments.DeploySpec spec, int releaseNumber) => throw new NotSupportedException();

        public Task<IReadOnlyList<Portal.Core.Deployments.LiveComparison>> CompareAsync(PortalEnvironment environment, string service, IReadOnlyList<PlannedObject> objects, CancellationToken ct) => throw new NotSupportedException();

        public Task ApplyAsync(PortalEnvironment environment, string service, IReadOnlyList<PlannedObject> objects, Func<string, Task> log, CancellationToken ct) => throw new NotSupportedException();

        public Task<Portal.Core.Deployments.RolloutStatus> RolloutAsync(PortalEnvironment environment, string service, CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<Portal.Core.Deployments.LiveService>> LiveAsync(PortalEnvironment environment, CancellationToken ct) => throw new NotSupportedException();
    }
}

/// <summary>What the test's steps do, shared by every replica of a test: each execution is recorded with the replica that ran it.</summary>
internal sealed class StepScript
{
    public ConcurrentQueue<(Guid Job, string Step, string Worker)> Executions { get; } = new();

    /// <summary>Per step name: what to do (the default just succeeds).</summary>
    public ConcurrentDictionary<string, Func<JobStepContext, CancellationToken, Task>> Behaviour { get; } = new(StringComparer.Ordinal);

    public int Count(Guid job, string step) => Executions.Count(e => e.Job == job && e.Step == step);
}

internal sealed class ScriptedJob(StepScript script) : IJobDefinition
{
    public const string KindName = "test.scripted";

    public string Kind => KindName;

    public string Describe(PortalJob job) => "Scripted test job";

    public async Task RunStepAsync(JobStepContext context, CancellationToken ct)
    {
        script.Executions.Enqueue((context.Job.Id, context.Step.Name, context.Job.Worker ?? ""));
        if (script.Behaviour.TryGetValue(context.Step.Name, out var behaviour))
        {
            await behaviour(context, ct);
        }
    }

    public Task OnFinishedAsync(PortalJob job, CancellationToken ct) => Task.CompletedTask;
}
