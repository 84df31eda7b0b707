using Microsoft.AspNetCore.Components;
using Portal.Core.Approvals;
using Portal.Core.Jobs;

namespace Portal.Web.Features.Environments;

/// <summary>Whether the environment waits for a second person (with a way to the Approvals page) and its latest job.</summary>
public sealed partial class EnvironmentActivity
{
    private (string Name, int Version, EnvironmentStatus Status)? _loadedFor;
    private ApprovalRequest? _approval;
    private PortalJob? _job;
    private string? _jobDescription;

    [Parameter, EditorRequired]
    public PortalEnvironment Environment { get; set; } = default!;

    [Inject]
    private ApprovalService Approvals { get; set; } = default!;

    [Inject]
    private JobService Jobs { get; set; } = default!;

    [Inject]
    private CurrentUser User { get; set; } = default!;

    private bool WaitsForApproval => Environment.Status == EnvironmentStatus.AwaitingApproval || _approval is not null;

    protected override async Task OnParametersSetAsync()
    {
        // A status move (a job's step) leaves the version alone, so both count as a change.
        if (_loadedFor == (Environment.Name, Environment.Version, Environment.Status))
        {
            return;
        }

        _loadedFor = (Environment.Name, Environment.Version, Environment.Status);
        var who = await User.PrincipalAsync();
        _approval = Environment.Status is EnvironmentStatus.AwaitingApproval or EnvironmentStatus.DestroyRequested
            ? (await Approvals.ListAsync(who, ApprovalState.Pending, CancellationToken.None)).FirstOrDefault(a => a.Environment == Environment.Name)
            : null;
        _job = (await Jobs.ListAsync(who, new JobQuery { Environment = Environment.Name, Take = 1 }, CancellationToken.None)).Items.FirstOrDefault();
        _jobDescription = _job is null ? null : Jobs.Describe(_job);
    }

    private static BadgeStyle StateStyle(JobState state) => state switch
    {
        JobState.Succeeded => BadgeStyle.Success,
        JobState.Failed => BadgeStyle.Danger,
        JobState.Cancelled => BadgeStyle.Light,
        _ => BadgeStyle.Info,
    };

    private static string JobWhen(PortalJob job) => job.FinishedAt is { } finished
        ? $"finished {finished:yyyy-MM-dd HH:mm} UTC"
        : $"requested {job.CreatedAt:yyyy-MM-dd HH:mm} UTC by {job.RequestedBy}";
}
