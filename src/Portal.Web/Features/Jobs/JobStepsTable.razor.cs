using Microsoft.AspNetCore.Components;
using Portal.Core.Jobs;

namespace Portal.Web.Features.Jobs;

/// <summary>A job's steps in order: state, attempts, times, the last error, and when a retrying step runs again.</summary>
public sealed partial class JobStepsTable
{
    [Parameter, EditorRequired]
    public IReadOnlyList<JobStep> Steps { get; set; } = [];

    /// <summary>For the duration of a running step.</summary>
    [Parameter]
    public DateTimeOffset Now { get; set; }

    private string Took(JobStep step) =>
        step.State == StepState.Running || step.FinishedAt is not null ? JobFormat.Duration(step.StartedAt, step.FinishedAt, Now) : "";
}
