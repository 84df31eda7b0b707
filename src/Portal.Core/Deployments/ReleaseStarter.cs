using Portal.Core.Actions;
using Portal.Core.Approvals;
using Portal.Core.Environments;
using Portal.Core.Jobs;

namespace Portal.Core.Deployments;

/// <summary>The job that applies a release and watches its rollout.</summary>
public static class DeployJobKinds
{
    public const string Rollout = "deployment.rollout";
    public const string Apply = "apply";
    public const string Watch = "rollout";

    public static PortalJob New(Release release, DateTimeOffset now) =>
        PortalJob.New(Rollout, release.Environment, release.RequestedBy, now, [Apply, Watch]);
}

/// <summary>
/// Where a new (or queued, or approved) release goes next, inside the unit of work that stores it: behind the
/// service's running rollout when the person chose to queue (else refused, naming it), to a second person when the
/// environment requires approval, otherwise straight to its job.
/// </summary>
public static class ReleaseStarter
{
    /// <summary>The release as it must be stored, and the job to dispatch once committed (if any).</summary>
    public static async Task<(Release Release, Guid? JobId)> PlaceAsync(
        IPortalUnitOfWork work, PortalEnvironment environment, Release release, bool queue, bool approved, int approvalExpiryHours, DateTimeOffset now, CancellationToken ct)
    {
        if (environment.Status != EnvironmentStatus.Ready)
        {
            throw new ConflictException($"Environment '{environment.Name}' is {environment.Status}; deploy once it is Ready.");
        }

        var running = await RunningAsync(work, release.Service, release.Environment, release.Id, ct);
        if (running is not null)
        {
            if (!queue)
            {
                throw new ConflictException($"{Describe(running)} is still {Words(running.State)} in {release.Environment}; wait for it to finish, or queue this deploy behind it.");
            }

            return (release with { State = ReleaseState.Queued }, null);
        }

        if (!approved && environment.RequireDeployApproval && release.Kind != ReleaseKind.Rollback)
        {
            work.Approvals.Add(new ApprovalRequest
            {
                Id = Guid.NewGuid(),
                Environment = environment.Name,
                Action = ApprovalAction.Deploy,
                Release = release.Id,
                RequestedBy = release.RequestedBy,
                RequestedAt = now,
                ExpiresAt = now.AddHours(approvalExpiryHours),
                State = ApprovalState.Pending,
            });
            return (release with { State = ReleaseState.AwaitingApproval }, null);
        }

        var job = DeployJobKinds.New(release, now);
        work.Jobs.Add(job);
        return (release with { State = ReleaseState.Pending, JobId = job.Id }, job.Id);
    }

    /// <summary>The service's release that holds the environment now (awaiting approval, pending or rolling out).</summary>
    public static async Task<Release?> RunningAsync(IPortalUnitOfWork work, string service, string environment, Guid? except, CancellationToken ct) =>
        (await work.Releases.ListAsync(new ReleaseQuery
        {
            Service = service,
            Environment = environment,
            States = [ReleaseState.AwaitingApproval, ReleaseState.Pending, ReleaseState.RollingOut],
            Take = 5,
        }, ct)).FirstOrDefault(r => r.Id != except);

    public static string Describe(Release r) => $"Release #{r.Number} of {r.Service} ({r.Spec.Version}, by {r.RequestedBy})";

    private static string Words(ReleaseState state) => state switch
    {
        ReleaseState.AwaitingApproval => "awaiting approval",
        ReleaseState.RollingOut => "rolling out",
        _ => state.ToString().ToLowerInvariant(),
    };
}
