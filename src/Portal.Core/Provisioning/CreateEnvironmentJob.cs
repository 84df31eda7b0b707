using Portal.Core.Environments;
using Portal.Core.Jobs;

namespace Portal.Core.Provisioning;

/// <summary>Namespace, quota, limits, role bindings, network isolation and the tier's extra manifests; then Ready.</summary>
public sealed class CreateEnvironmentJob(IEnvironmentProvisioner provisioner, EnvironmentStatusWriter environments) : IJobDefinition
{
    public string Kind => EnvironmentJobKinds.Create;

    public string Describe(PortalJob job) => $"Create environment {job.Environment}";

    public async Task RunStepAsync(JobStepContext context, CancellationToken ct)
    {
        var environment = await environments.GetAsync(context.Job.Environment, ct);
        if (environment.IsGone)
        {
            throw new JobStepException($"Environment '{environment.Name}' is {environment.Status}; nothing to create.");
        }

        if (environment.Status != EnvironmentStatus.Provisioning)
        {
            environment = await environments.SetAsync(environment.Name, EnvironmentStatus.Provisioning, ct);
        }

        if (context.Step.Name == EnvironmentJobKinds.MarkReady)
        {
            await environments.SetAsync(environment.Name, EnvironmentStatus.Ready, ct);
            await context.LogAsync($"{environment.Name} is ready in namespace {environment.Namespace} on {environment.Cluster}.");
            return;
        }

        await provisioner.ApplyAsync(environment, context.Step.Name, await environments.BindingsAsync(environment, context.Step.Name, ct), context.LogAsync, ct);
    }

    public async Task OnFinishedAsync(PortalJob job, CancellationToken ct)
    {
        if (job.State != JobState.Succeeded && job.Environment is { } name)
        {
            await environments.SetAsync(name, EnvironmentStatus.Failed, ct);
        }
    }
}
