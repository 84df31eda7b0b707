using Portal.Core.Environments;
using Portal.Core.Jobs;

namespace Portal.Core.Provisioning;

/// <summary>Deletes what creation made, in reverse order, then marks the environment destroyed (its history stays).</summary>
public sealed class DestroyEnvironmentJob(IEnvironmentProvisioner provisioner, EnvironmentStatusWriter environments) : IJobDefinition
{
    public string Kind => EnvironmentJobKinds.Destroy;

    public string Describe(PortalJob job) => $"Destroy environment {job.Environment}";

    public async Task RunStepAsync(JobStepContext context, CancellationToken ct)
    {
        var environment = await environments.GetAsync(context.Job.Environment, ct);
        if (environment.Status == EnvironmentStatus.Destroyed)
        {
            await context.LogAsync($"{environment.Name} is already destroyed.");
            return;
        }

        if (environment.Status != EnvironmentStatus.Destroying)
        {
            environment = await environments.SetAsync(environment.Name, EnvironmentStatus.Destroying, ct);
        }

        if (context.Step.Name == EnvironmentJobKinds.MarkDestroyed)
        {
            await environments.SetAsync(environment.Name, EnvironmentStatus.Destroyed, ct);
            await context.LogAsync($"{environment.Name} is destroyed; its audit and cost history stay.");
            return;
        }

        await provisioner.DeleteAsync(environment, context.Step.Name[EnvironmentJobKinds.DeletePrefix.Length..], context.LogAsync, ct);
    }

    public async Task OnFinishedAsync(PortalJob job, CancellationToken ct)
    {
        if (job.State != JobState.Succeeded && job.Environment is { } name)
        {
            await environments.SetAsync(name, EnvironmentStatus.Failed, ct);
        }
    }
}
