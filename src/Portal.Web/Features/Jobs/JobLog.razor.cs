using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Core.Jobs;

namespace Portal.Web.Features.Jobs;

/// <summary>A job's log, oldest line first, each with its time, level and step.</summary>
public sealed partial class JobLog
{
    [Parameter, EditorRequired]
    public IReadOnlyList<JobLogLine> Lines { get; set; } = [];

    /// <summary>To name each line's step.</summary>
    [Parameter]
    public IReadOnlyList<JobStep> Steps { get; set; } = [];

    private string Format(JobLogLine line) => string.Create(CultureInfo.InvariantCulture,
        $"{line.At.UtcDateTime:HH:mm:ss.fff} {line.Level.ToUpperInvariant(),-7} [{StepName(line.StepIndex)}] {line.Message}");

    private string StepName(int index) => index >= 0 && index < Steps.Count ? Steps[index].Name : $"step {index + 1}";
}
