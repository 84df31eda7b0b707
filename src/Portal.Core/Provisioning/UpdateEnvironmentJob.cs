using Portal.Core.Jobs;

namespace Portal.Core.Provisioning;

/// <summary>Applies changed labels and quota to the namespace; the environment stays usable throughout.</summary>
public sealed class UpdateEnvironmentJob(IEnvironmentProvisioner provisioner, EnvironmentStatusWriter environments) : IJobDefinition
{
    public string Kind => EnvironmentJobKinds.Update;

    public string Describe(PortalJob job) => $"Change environment {job.Environment}";

    public async Task RunStepAsync(JobStepContext context, CancellationToken ct)
    {
        var environment = await environments.GetAsync(context.Job.Environment, ct);
        if (environment.IsGone)
        {
            throw new JobStepException($"Environment '{environment.Name}' is {environment.Status}; nothing to change.");
        }

        await provisioner.ApplyAsync(environment, context.Step.Name, await environments.BindingsAsync(environment, context.Step.Name, ct), context.LogAsync, ct);
    }

    public Task OnFinishedAsync(PortalJob job, CancellationToken ct) => Task.CompletedTask;
}
